// What a media card shows, from a post's JSON: which video file, which image sizes, which
// state note. Pure functions; components/media-cards.js turns them into DOM.

export const FEED_SHORT_SIDE = 720;

const shortSide = (r) => Math.min(r.width || 0, r.height || 0);

/**
 * The rendition to play: the largest one up to the feed size (720p), or the lightest one when
 * the phone asks to save data. Renditions are [{name, url, width, height, bitrate, mime}];
 * while the proper transcode runs there may be only the fast-start remux ("fast").
 */
export function pickRendition(renditions, { saveData = false } = {}) {
  const list = (renditions || []).filter((r) => r && r.url);
  if (!list.length) return null;
  const sorted = [...list].sort((a, b) => shortSide(a) - shortSide(b));
  if (saveData) return sorted[0];
  const fitting = sorted.filter((r) => shortSide(r) <= FEED_SHORT_SIDE);
  return fitting.length ? fitting[fitting.length - 1] : sorted[0];
}

/** "a.webp 320w, b.webp 1080w" from image variants, smallest first. */
export function srcsetOf(variants) {
  return (variants || [])
    .filter((v) => v && v.url && v.width)
    .sort((a, b) => a.width - b.width)
    .map((v) => `${v.url} ${v.width}w`)
    .join(', ');
}

/** The largest variant, for src (browsers without srcset, and the fallback). */
export function largestVariant(variants) {
  const list = (variants || []).filter((v) => v && v.url);
  return list.length ? list.reduce((a, b) => ((b.width || 0) > (a.width || 0) ? b : a)) : null;
}

/** CSS aspect-ratio for an item, kept between 9:16 and 16:9 so one card never fills two screens. */
export function aspectRatio(item) {
  const w = Number(item?.width) || 0;
  const h = Number(item?.height) || 0;
  if (!w || !h) return '1 / 1';
  const ratio = Math.min(16 / 9, Math.max(9 / 16, w / h));
  return ratio === w / h ? `${w} / ${h}` : String(Number(ratio.toFixed(4)));
}

/** The video card: poster, placeholder and the file to play; null when nothing is playable yet. */
export function videoModel(post, opts) {
  const item = (post.media || []).find((m) => m.kind === 'video');
  if (!item) return null;
  const rendition = pickRendition(item.renditions, opts);
  return {
    src: rendition?.url || null,
    mime: rendition?.mime || 'video/mp4',
    poster: item.poster || null,
    blurhash: item.blurhash || '',
    aspect: aspectRatio(rendition || item),
    loop: Boolean(item.loop),
    alt: item.alt || '',
  };
}

/** The gallery's slides in the author's order. */
export function galleryModel(post) {
  return (post.media || []).filter((m) => m.kind === 'image').map((item) => {
    const biggest = largestVariant(item.variants);
    return {
      id: item.id,
      src: biggest?.url || null,
      srcset: srcsetOf(item.variants),
      alt: item.alt || '',
      blurhash: item.blurhash || '',
      aspect: aspectRatio(biggest || item),
    };
  });
}

/**
 * The state note under a post: null when published; for processing and failed posts what to
 * say and which buttons to offer. Only the author may retry; the author or a moderator delete.
 */
export function statusModel(post, meId) {
  const mine = meId !== null && meId !== undefined && post.author?.id === meId;
  if (post.status === 'processing') {
    return { state: 'processing', key: post.kind === 'video' ? 'post.processingVideo' : 'post.processingPhotos' };
  }
  if (post.status === 'failed') {
    return { state: 'failed', key: 'post.failed', error: post.error || '', canRetry: mine, canDelete: Boolean(post.can_delete) };
  }
  return null;
}
