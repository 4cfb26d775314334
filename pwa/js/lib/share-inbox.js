// What "Share → Hallway" sent, kept by the service worker (sw.js saveShare) until the composer
// takes it: its own small database, so the worker never has to upgrade the draft's. Loaded on
// demand: only the composer needs it.
import { done, finished } from './draft-store.js';

const SHARE_DB = 'hallway-share';
const SHARE_STORE = 'inbox';
const SHARE_KEY = 'pending';

async function openShareInbox(idb) {
  const request = idb.open(SHARE_DB, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(SHARE_STORE);
  return done(request);
}

async function shareInbox(idb, mode, work) {
  if (!idb) return null;
  const db = await openShareInbox(idb);
  try {
    const tx = db.transaction(SHARE_STORE, mode);
    const result = work(tx.objectStore(SHARE_STORE));
    await finished(tx);
    return result;
  } finally {
    db.close();
  }
}

/** The pending share {files, text, at}, or null; it stays until clearShared. */
export async function readShared(idb = globalThis.indexedDB) {
  let entry = null;
  await shareInbox(idb, 'readonly', (store) => {
    done(store.get(SHARE_KEY)).then((value) => { entry = value ?? null; });
  });
  if (!entry) return null;
  return { files: [...(entry.files || [])], text: String(entry.text || ''), at: entry.at || 0 };
}

/** Forget the pending share: once the composer has it, and on sign-out. */
export async function clearShared(idb = globalThis.indexedDB) {
  await shareInbox(idb, 'readwrite', (store) => { store.delete(SHARE_KEY); });
}
