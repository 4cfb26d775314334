// Initials and a stable colour for people without a photo.

/** "Anna-Lena Schmidt" -> "AS"; "cher" -> "C"; "" -> "?". */
export function initials(name) {
  const words = String(name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]][0];
  const last = words.length > 1 ? [...words.at(-1)][0] : '';
  return (first + last).toUpperCase();
}

/** A hue (0–359) derived from an id, so a person keeps their colour everywhere. */
export function hueFor(id) {
  let hash = 0;
  for (const ch of String(id ?? '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}
