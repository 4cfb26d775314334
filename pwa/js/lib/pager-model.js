// The Videos pager's decisions, without the DOM: which slides hold a live <video>, how much
// each one preloads, which rendition suits the connection, and what is remembered between visits.
import { pickRendition } from './media-model.js';

/** Indices that hold a live <video>: the visible clip and its neighbours (3 decoders at most). */
export function liveWindow(active, count, radius = 1) {
  const out = [];
  for (let i = Math.max(0, active - radius); i <= Math.min(count - 1, active + radius); i += 1) out.push(i);
  return out;
}

/** The visible clip and the next one load data at once (swiping starts playback); the one behind only its metadata. */
export function preloadFor(index, active) {
  return index === active || index === active + 1 ? 'auto' : 'metadata';
}

/** A phone on Save-Data or a 2G/3G connection gets the lightest rendition. */
export function lightConnection(connection) {
  if (!connection) return false;
  return Boolean(connection.saveData) || /^(slow-2g|2g|3g)$/.test(String(connection.effectiveType || ''));
}

/** The file to play for a video item, chosen for the connection. */
export function clipSource(item, connection) {
  return pickRendition(item?.renditions, { saveData: lightConnection(connection) });
}

/** The slide index for a scroll position (slides are one pager height tall). */
export function indexAt(scrollTop, height, count) {
  if (!height || !count) return 0;
  return Math.max(0, Math.min(count - 1, Math.round(scrollTop / height)));
}

const POSITION_KEY = 'hallway.videos.position';
const SOUND_KEY = 'hallway.videos.sound';

function read(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled (private mode, quota): nothing remembered
  }
}

function write(storage, key, value) {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    /* storage unavailable: the pager still works, it just forgets */
  }
}

/** Where the viewer was ({id, index}), kept in sessionStorage so coming back resumes there. */
export function positionStore(storage) {
  return {
    load() {
      try {
        const value = JSON.parse(read(storage, POSITION_KEY));
        const index = Number(value?.index);
        if (value?.id === undefined || value?.id === null || !Number.isInteger(index) || index < 0) return null;
        return { id: value.id, index };
      } catch {
        return null;
      }
    },
    save(position) {
      write(storage, POSITION_KEY, position ? JSON.stringify({ id: position.id, index: position.index }) : null);
    },
  };
}

/** Whether the viewer turned the sound on; it stays on across clips and visits (localStorage). */
export function soundPreference(storage) {
  return {
    get: () => read(storage, SOUND_KEY) === 'on',
    set: (on) => write(storage, SOUND_KEY, on ? 'on' : null),
  };
}

/** The post's like state when the server sends reactions (feature detection), else null. */
export function likeState(post) {
  if (!post || typeof post.reactions !== 'object' || post.reactions === null) return null;
  return {
    count: Number(post.reactions.like) || 0,
    mine: Array.isArray(post.my_reactions) && post.my_reactions.includes('like'),
  };
}
