// Just enough of IndexedDB for the PWA's unit tests (draft store, share target), following
// the request/transaction event order of the real one.
import assert from 'node:assert/strict';

/** Just enough of IndexedDB: open with upgrade, stores, get/put/delete/clear/getAll/getAllKeys. */
export function fakeIndexedDB() {
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
