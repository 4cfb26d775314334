// A BlurHash decoder (https://blurha.sh, the algorithm of woltapp/blurhash): a colour
// placeholder painted before the poster arrives. Small sizes only (32x32 is plenty).

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';

function decode83(text) {
  let value = 0;
  for (const char of text) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0) throw new Error('blurhash: bad character');
    value = value * 83 + digit;
  }
  return value;
}

function toLinear(value) {
  const v = value / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function toSrgb(value) {
  const v = Math.max(0, Math.min(1, value));
  return v <= 0.0031308 ? Math.round(v * 12.92 * 255) : Math.round((1.055 * v ** (1 / 2.4) - 0.055) * 255);
}

const signPow = (value, exp) => Math.sign(value) * Math.abs(value) ** exp;

/** The component counts of a well-formed hash, or null. */
export function blurhashSize(hash) {
  if (typeof hash !== 'string' || hash.length < 6) return null;
  try {
    const flag = decode83(hash[0]);
    const size = { x: (flag % 9) + 1, y: Math.floor(flag / 9) + 1 };
    decode83(hash);
    return hash.length === 4 + 2 * size.x * size.y ? size : null;
  } catch {
    return null;
  }
}

/** RGBA pixels (Uint8ClampedArray of width*height*4) for an ImageData, or null for a bad hash. */
export function decodeBlurhash(hash, width, height, punch = 1) {
  const size = blurhashSize(hash);
  if (!size) return null;
  const maxAc = ((decode83(hash[1]) + 1) / 166) * punch;
  const colors = [];
  const dc = decode83(hash.slice(2, 6));
  colors.push([toLinear(dc >> 16), toLinear((dc >> 8) & 255), toLinear(dc & 255)]);
  for (let i = 1; i < size.x * size.y; i += 1) {
    const ac = decode83(hash.slice(4 + i * 2, 6 + i * 2));
    colors.push([Math.floor(ac / 361), Math.floor(ac / 19) % 19, ac % 19]
      .map((q) => signPow((q - 9) / 9, 2) * maxAc));
  }
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let j = 0; j < size.y; j += 1) {
        const cy = Math.cos((Math.PI * y * j) / height);
        for (let i = 0; i < size.x; i += 1) {
          const basis = Math.cos((Math.PI * x * i) / width) * cy;
          const c = colors[i + j * size.x];
          r += c[0] * basis;
          g += c[1] * basis;
          b += c[2] * basis;
        }
      }
      const at = 4 * (x + y * width);
      pixels[at] = toSrgb(r);
      pixels[at + 1] = toSrgb(g);
      pixels[at + 2] = toSrgb(b);
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}
