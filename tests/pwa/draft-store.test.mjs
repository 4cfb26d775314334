// The composer draft in IndexedDB, against a small in-memory IndexedDB that follows the
// request/transaction event order: reopening the store finds the record and the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDraftStore, clearDraft } from '../../pwa/js/lib/draft-store.js';

/** Just enough of IndexedDB: open with upgrade, stores, get/put/delete/clear/getAll/getAllKeys. */
function fakeIndexedDB() {
  const databases = new Map(); // name -> {version, stores: Map(name -> Map)}
  const later = (fn) => setTimeout(fn, 0);

  function request(tx, compute) {
    const req = { result: undefined, error: null, onsuccess: null, onerror: null };
    tx.pending += 1;
    queueMicrotask(() => {
      try {
        req.result = compute();
        req.onsuccess?.();
      } catch (err) {
        req.error = err;
        req.onerror?.();
      }
      tx.pending -= 1;
      if (!tx.pending) later(() => (tx.pending ? null : tx.oncomplete?.()));
    });
    return req;
  }

  function database(name) {
    const data = databases.get(name);
    return {
      objectStoreNames: { contains: (store) => data.stores.has(store) },
      createObjectStore: (store) => data.stores.set(store, new Map()),
      close() { this.closed = true; },
      transaction(stores, mode) {
        const tx = { pending: 0, oncomplete: null, onerror: null, onabort: null, error: null };
        tx.objectStore = (store) => {
          assert.ok([stores].flat().includes(store), `${store} is in the transaction`);
          const map = data.stores.get(store);
          const write = () => assert.equal(mode, 'readwrite', 'writes need readwrite');
          return {
            get: (key) => request(tx, () => map.get(key)),
            getAll: () => request(tx, () => [...map.values()]),
            getAllKeys: () => request(tx, () => [...map.keys()]),
            put: (value, key) => request(tx, () => { write(); map.set(key, value); return key; }),
            delete: (key) => request(tx, () => { write(); map.delete(key); }),
            clear: () => request(tx, () => { write(); map.clear(); }),
          };
        };
        later(() => (tx.pending ? null : tx.oncomplete?.())); // an empty transaction completes too
        return tx;
      },
    };
  }

  return {
    databases,
    open(name, version) {
      const req = { result: null, onsuccess: null, onerror: null, onupgradeneeded: null };
      later(() => {
        const known = databases.get(name);
        if (!known) databases.set(name, { version: 0, stores: new Map() });
        const data = databases.get(name);
        req.result = database(name);
        if (data.version < version) {
          data.version = version;
          req.onupgradeneeded?.();
        }
        req.onsuccess?.();
      });
      return req;
    },
  };
}

const file = (name, text) => new Blob([text], { type: 'image/jpeg' });

test('without IndexedDB there is no store (and no crash)', async () => {
  assert.equal(await openDraftStore(null), null);
  await clearDraft(null);
});

test('an empty store loads no draft', async () => {
  const store = await openDraftStore(fakeIndexedDB());
  const { record, files } = await store.load();
  assert.equal(record, null);
  assert.equal(files.size, 0);
});

test('record and files survive closing and reopening', async () => {
  const idb = fakeIndexedDB();
  let store = await openDraftStore(idb);
  await store.putFile('k1', file('1.jpg', 'one'));
  await store.putFile('k2', file('2.jpg', 'two'));
  await store.saveRecord({ body: 'On the train', items: [{ key: 'k2', alt: 'Platform' }, { key: 'k1', alt: '' }] });
  await store.deleteFile('k1');
  store.close();

  store = await openDraftStore(idb);
  const { record, files } = await store.load();
  assert.deepEqual(record, { body: 'On the train', items: [{ key: 'k2', alt: 'Platform' }, { key: 'k1', alt: '' }] });
  assert.deepEqual([...files.keys()], ['k2']);
  assert.equal(await files.get('k2').text(), 'two');
});

test('clearDraft forgets the record and every file (sign-out)', async () => {
  const idb = fakeIndexedDB();
  const store = await openDraftStore(idb);
  await store.putFile('k1', file('1.jpg', 'one'));
  await store.saveRecord({ body: 'secret', items: [] });
  await clearDraft(idb);
  const { record, files } = await (await openDraftStore(idb)).load();
  assert.equal(record, null);
  assert.equal(files.size, 0);
});
