// The composer's draft in IndexedDB: the record (text, order, alt texts, finished upload ids)
// and each picked File, so a closed app can carry on uploading when it is opened again.
// Files live in IndexedDB, not localStorage: they are Blobs, and can be hundreds of MB.

const DB_NAME = 'hallway';
const DB_VERSION = 1;
const DRAFTS = 'drafts';
const FILES = 'files';
const DRAFT_KEY = 'composer';

export const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

export function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

/** openDraftStore(indexedDB) -> {load, saveRecord, putFile, deleteFile, clear}; null without IndexedDB. */
export async function openDraftStore(idb = globalThis.indexedDB) {
  if (!idb) return null;
  const request = idb.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(DRAFTS)) db.createObjectStore(DRAFTS);
    if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
  };
  const db = await done(request);

  async function run(stores, mode, work) {
    const tx = db.transaction(stores, mode);
    const result = work(tx);
    await finished(tx);
    return result;
  }

  return {
    /** {record, files: Map(key -> File)}; record is null when there is no draft. */
    async load() {
      let record = null;
      const files = new Map();
      await run([DRAFTS, FILES], 'readonly', (tx) => {
        done(tx.objectStore(DRAFTS).get(DRAFT_KEY)).then((value) => { record = value ?? null; });
        const store = tx.objectStore(FILES);
        Promise.all([done(store.getAllKeys()), done(store.getAll())]).then(([keys, values]) => {
          keys.forEach((key, i) => files.set(key, values[i]));
        });
      });
      return { record, files };
    },
    saveRecord: (record) => run([DRAFTS], 'readwrite', (tx) => { tx.objectStore(DRAFTS).put(record, DRAFT_KEY); }),
    putFile: (key, file) => run([FILES], 'readwrite', (tx) => { tx.objectStore(FILES).put(file, key); }),
    deleteFile: (key) => run([FILES], 'readwrite', (tx) => { tx.objectStore(FILES).delete(key); }),
    clear: () => run([DRAFTS, FILES], 'readwrite', (tx) => {
      tx.objectStore(DRAFTS).clear();
      tx.objectStore(FILES).clear();
    }),
    close: () => db.close(),
  };
}

/** Forget the draft and its files (sign-out: an unsent post is not for the next person). */
export async function clearDraft(idb = globalThis.indexedDB) {
  const store = await openDraftStore(idb).catch(() => null);
  if (!store) return;
  try {
    await store.clear();
  } finally {
    store.close();
  }
}

