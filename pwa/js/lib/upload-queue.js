// The composer's attachments as plain data: which files, in which order, how far each upload
// is, and whether the post can go. Every function returns a new queue; no DOM, no network.
import { composerState } from './compose.js';

export const MAX_PHOTOS = 20;
export const CHUNK_SIZE = 5 * 1024 * 1024;

const VIDEO_EXT = /\.(mp4|m4v|mov|webm|mkv|avi|3gp|mts|ts)$/i;
const IMAGE_EXT = /\.(jpe?g|png|webp|gif|heic|heif|avif|tiff?|bmp)$/i;

/** 'video', 'image' or null, from the MIME type (phones sometimes leave it empty: then the name). */
export function kindOf({ type = '', name = '' } = {}) {
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('image/')) return 'image';
  if (VIDEO_EXT.test(name)) return 'video';
  if (IMAGE_EXT.test(name)) return 'image';
  return null;
}

export const emptyQueue = () => ({ items: [] });

/**
 * addFiles(queue, files, makeKey) -> {queue, added, error}
 * One video, or up to MAX_PHOTOS photos, never both. error is {key, params} for i18n.
 */
export function addFiles(queue, files, makeKey) {
  const incoming = [...files];
  const unknown = incoming.find((file) => !kindOf(file));
  if (unknown) return { queue, added: [], error: { key: 'compose.unsupported', params: { name: unknown.name } } };
  const kinds = new Set([...queue.items.map((i) => i.kind), ...incoming.map((f) => kindOf(f))]);
  const videos = queue.items.filter((i) => i.kind === 'video').length
    + incoming.filter((f) => kindOf(f) === 'video').length;
  if (videos > 0 && (kinds.size > 1 || videos > 1)) {
    return { queue, added: [], error: { key: 'compose.oneVideo', params: {} } };
  }
  const room = MAX_PHOTOS - queue.items.length;
  const taken = incoming.slice(0, Math.max(0, room));
  const added = taken.map((file) => ({
    key: makeKey(),
    kind: kindOf(file),
    name: file.name || '',
    type: file.type || '',
    size: file.size,
    alt: '',
    sent: 0,
    state: 'queued', // queued | uploading | paused | done | failed
    uploadId: null,
    error: '',
  }));
  const error = taken.length < incoming.length
    ? { key: 'compose.tooManyPhotos', params: { max: MAX_PHOTOS, n: incoming.length - taken.length } }
    : null;
  return { queue: { items: [...queue.items, ...added] }, added, error };
}

export function updateItem(queue, key, patch) {
  return { items: queue.items.map((item) => (item.key === key ? { ...item, ...patch } : item)) };
}

export function removeItem(queue, key) {
  return { items: queue.items.filter((item) => item.key !== key) };
}

/** Move an item delta places (-1 left, +1 right); out of range is a no-op. */
export function moveItem(queue, key, delta) {
  const items = [...queue.items];
  const from = items.findIndex((item) => item.key === key);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= items.length) return queue;
  const [item] = items.splice(from, 1);
  items.splice(to, 0, item);
  return { items };
}

/** tus progress of one item, 0..1. */
export function fraction(item) {
  if (item.state === 'done') return 1;
  return item.size > 0 ? Math.min(1, item.sent / item.size) : 0;
}

/** The upload id is the last path segment of the tus Location (DESIGN.md). */
export function uploadIdFromUrl(url) {
  const path = String(url || '').split(/[?#]/)[0].replace(/\/+$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || null;
}

/**
 * Whether Post may be pressed: text within the limit (it may be empty when media is attached),
 * and every upload finished. reason is an i18n key for the hint, or null.
 */
export function postState(queue, text) {
  const textState = composerState(text);
  const { items } = queue;
  if (textState.over) return { ready: false, reason: null };
  if (!items.length) return { ready: textState.valid, reason: null };
  if (items.some((i) => i.state === 'failed')) return { ready: false, reason: 'compose.fixUploads' };
  if (items.some((i) => i.state !== 'done')) return { ready: false, reason: 'compose.waitUploads' };
  return { ready: true, reason: null };
}

/** The body of POST /api/posts, uploads in the order shown. */
export function postPayload(queue, text) {
  const payload = { body: String(text ?? '') };
  if (queue.items.length) {
    payload.upload_ids = queue.items.map((i) => i.uploadId);
    payload.alt_texts = queue.items.map((i) => (i.kind === 'image' ? i.alt.trim() : ''));
  }
  return payload;
}

/** What the draft store keeps (the Files are stored next to it under each key). */
export function draftRecord(queue, text) {
  return {
    body: String(text ?? ''),
    items: queue.items.map(({ key, kind, name, type, size, alt, uploadId }) => ({ key, kind, name, type, size, alt, uploadId })),
  };
}

/** The queue back from a stored draft: finished uploads stay finished, the rest start again (and resume). */
export function restoreQueue(record, hasFile = () => true) {
  const items = (record?.items || [])
    .filter((item) => item.uploadId || hasFile(item.key))
    .map((item) => ({
      ...item,
      alt: item.alt || '',
      sent: item.uploadId ? item.size : 0,
      state: item.uploadId ? 'done' : 'queued',
      error: '',
    }));
  return { items };
}
