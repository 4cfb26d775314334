// The composer's intents: attach, reorder, describe and remove files, upload them with tus,
// keep the draft in IndexedDB, pause offline and carry on online, then post. One instance
// lives for the whole app, so uploads keep going while the person reads the feed.
import * as q from '../lib/upload-queue.js';
import { openDraftStore, clearDraft } from '../lib/draft-store.js';
import { ApiError } from '../lib/errors.js';
import { keyFor } from '../lib/request-key.js';
import { loadTus, prepareUpload } from '../api/uploads.js';
import { http, CSRF_COOKIE } from '../api/http.js';
import { readCookie } from '../lib/compose.js';
import { store } from './app-state.js';
import { publishPost } from './posts.js';

const PARALLEL = 2; // two uploads at a time: enough to fill a phone's uplink
const BODY_SAVE_MS = 400;

let queue = q.emptyQueue();
let body = '';
let draftStore = null;
let opened = null; // the promise of open(), so the draft is restored once
let tus = null;
let lastError = null; // {key, params} or ApiError shown above the Post button
// {key, payload} of the last Post pressed: the same Idempotency-Key while the post is unchanged,
// kept with the draft, so a retry after a lost answer (even after the app was closed) posts once.
let sending = null;
const files = new Map(); // key -> File
const uploads = new Map(); // key -> tus.Upload
const listeners = new Set();
let bodyTimer = null;
let seq = 0;

const makeKey = () => `f${Date.now().toString(36)}${(seq += 1)}`;

function emit() {
  for (const fn of listeners) fn(snapshot());
}

export function snapshot() {
  return { queue, body, error: lastError, post: q.postState(queue, body) };
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const fileOf = (key) => files.get(key) || null;

function set(next) {
  queue = next;
  emit();
}

async function persist() {
  try {
    await draftStore?.saveRecord({ ...q.draftRecord(queue, body), sending });
  } catch (err) {
    console.warn('draft', err); // private mode or a full disk: uploading still works, resuming will not
  }
}

/** Restore the draft (text, files, finished uploads) and resume unfinished uploads. */
export function openComposer() {
  opened ??= (async () => {
    draftStore = await openDraftStore().catch((err) => { console.warn('draft store', err); return null; });
    if (draftStore && !queue.items.length) {
      const { record, files: stored } = await draftStore.load();
      if (record) {
        body = record.body || body;
        sending = record.sending || null;
        for (const [key, file] of stored) files.set(key, file);
        queue = q.restoreQueue(record, (key) => files.has(key));
      }
    }
    emit();
    pump();
  })();
  return opened;
}

let sharing = null; // one pickup at a time: the view may mount twice in a row

/**
 * Files and text shared to Hallway from another app (the service worker kept them, sw.js):
 * attached as if picked, the text added to the message. True when there was a share.
 */
export function takeShared() {
  sharing ??= (async () => {
    await openComposer();
    const { readShared, clearShared } = await import('../lib/share-inbox.js');
    const shared = await readShared().catch((err) => { console.warn('share', err); return null; });
    if (!shared) return false;
    if (shared.text && !body.includes(shared.text)) setBody(body.trim() ? `${body.trim()}\n${shared.text}` : shared.text);
    try {
      if (shared.files.length) await addFiles(shared.files);
    } finally {
      // Taken (or refused in words by addFiles): a second visit must not attach them again.
      await clearShared().catch(() => {});
    }
    return true;
  })().finally(() => { sharing = null; });
  return sharing;
}

export function setBody(text) {
  body = text;
  emit();
  clearTimeout(bodyTimer);
  bodyTimer = setTimeout(persist, BODY_SAVE_MS);
}

export async function addFiles(fileList) {
  await openComposer();
  const result = q.addFiles(queue, fileList, makeKey);
  lastError = result.error;
  const picked = [...fileList];
  result.added.forEach((item, i) => files.set(item.key, picked[i]));
  set(result.queue);
  await Promise.all(result.added.map((item) => draftStore?.putFile(item.key, files.get(item.key)).catch(() => {})));
  await persist();
  pump();
}

export async function removeFile(key) {
  const upload = uploads.get(key);
  uploads.delete(key);
  files.delete(key);
  set(q.removeItem(queue, key));
  lastError = null;
  upload?.abort(true).catch(() => {}); // terminate: the server frees the space at once
  await draftStore?.deleteFile(key).catch(() => {});
  await persist();
  pump();
}

export function moveFile(key, delta) {
  set(q.moveItem(queue, key, delta));
  persist();
}

export function setAlt(key, alt) {
  queue = q.updateItem(queue, key, { alt });
  clearTimeout(bodyTimer);
  bodyTimer = setTimeout(persist, BODY_SAVE_MS);
}

/** Start the next queued uploads, up to PARALLEL at once; nothing while offline. */
async function pump() {
  if (!navigator.onLine) return;
  const running = queue.items.filter((i) => i.state === 'uploading').length;
  const next = queue.items.filter((i) => i.state === 'queued' && files.has(i.key)).slice(0, PARALLEL - running);
  if (!next.length) return;
  for (const item of next) queue = q.updateItem(queue, item.key, { state: 'uploading', error: '' });
  emit();
  try {
    tus ??= await loadTus();
    if (!readCookie(document.cookie, CSRF_COOKIE)) await http().get('/api/health'); // sets the CSRF cookie
  } catch (err) {
    for (const item of next) queue = q.updateItem(queue, item.key, { state: 'queued' });
    lastError = err instanceof ApiError ? err : new ApiError({ kind: 'network' });
    emit();
    return;
  }
  for (const item of next) startOne(item.key);
}

async function startOne(key) {
  const live = () => uploads.get(key) === upload && queue.items.some((i) => i.key === key);
  let upload = null;
  upload = await prepareUpload(tus, files.get(key), {
    onProgress(sent) {
      if (!live()) return;
      set(q.updateItem(queue, key, { sent }));
    },
    async onDone(uploadId) {
      if (!live()) return;
      uploads.delete(key);
      set(q.updateItem(queue, key, { state: 'done', uploadId }));
      await persist();
      pump();
    },
    onError(err) {
      if (!live()) return;
      uploads.delete(key);
      // Offline is a pause, not a failure: the online event starts it again.
      const state = !navigator.onLine ? 'paused' : 'failed';
      set(q.updateItem(queue, key, { state, error: state === 'failed' ? err : '' }));
      pump();
    },
  });
  if (!queue.items.some((i) => i.key === key && i.state === 'uploading')) return; // removed meanwhile
  uploads.set(key, upload);
  upload.start();
}

/** Try a failed upload again (it resumes from the server's offset). */
export function retryFile(key) {
  set(q.updateItem(queue, key, { state: 'queued', error: '' }));
  pump();
}

function pauseAll() {
  for (const [key, upload] of uploads) {
    upload.abort(false).catch(() => {});
    queue = q.updateItem(queue, key, { state: 'paused' });
  }
  uploads.clear();
  emit();
}

function resumeAll() {
  for (const item of queue.items) {
    if (item.state === 'paused') queue = q.updateItem(queue, item.key, { state: 'queued' });
  }
  emit();
  pump();
}

/** Post: the text and the finished uploads in their order; the draft is dropped on success. */
export async function submit() {
  const state = q.postState(queue, body);
  if (!state.ready) return null;
  lastError = null;
  const payload = q.postPayload(queue, body);
  sending = keyFor(sending, payload);
  await persist(); // before sending: the key must outlive a closed app
  const post = await publishPost(payload, sending.key);
  await reset();
  return post;
}

/** Forget everything: after posting, and on sign-out. */
export async function reset({ terminate = false } = {}) {
  for (const upload of uploads.values()) upload.abort(terminate).catch(() => {});
  uploads.clear();
  files.clear();
  queue = q.emptyQueue();
  body = '';
  lastError = null;
  sending = null;
  clearTimeout(bodyTimer);
  if (draftStore) await draftStore.clear().catch(() => {});
  else await clearDraft().catch(() => {});
  emit();
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', pauseAll);
  window.addEventListener('online', resumeAll);
  store.subscribe((state, prev) => {
    if (prev.me && !state.me) {
      reset({ terminate: true });
      // What was shared is not for the next person either.
      import('../lib/share-inbox.js').then((m) => m.clearShared()).catch(() => {});
    }
  });
}
