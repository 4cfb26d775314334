// The composer draft in IndexedDB, against a small in-memory IndexedDB that follows the
// request/transaction event order: reopening the store finds the record and the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDraftStore, clearDraft } from '../../pwa/js/lib/draft-store.js';
import { fakeIndexedDB } from './fake-indexeddb.mjs';

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
