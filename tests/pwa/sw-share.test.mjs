// "Share → Hallway": the service worker keeps the shared files in IndexedDB and sends the
// person to the composer; the composer's reader (share-inbox.js readShared) finds them there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { readShared, clearShared } from '../../pwa/js/lib/share-inbox.js';
import { fakeIndexedDB } from './fake-indexeddb.mjs';

const SOURCE = readFileSync(new URL('../../pwa/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://hall.example';
const manifest = JSON.parse(readFileSync(new URL('../../pwa/manifest.webmanifest', import.meta.url), 'utf8'));

function loadWorker({ indexedDB = fakeIndexedDB() } = {}) {
  const listeners = {};
  const warnings = [];
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    registration: { scope: `${ORIGIN}/` },
    indexedDB,
    addEventListener: (type, fn) => { listeners[type] = fn; },
    clients: { claim: async () => {} },
  };
  const fetch = async () => { throw new Error('the share must not reach the network'); };
  const console = { warn: (...args) => warnings.push(args) };
  vm.runInNewContext(SOURCE, { self, caches: {}, fetch, console, URL, Request, Response, Headers, Set, Promise, Date, String });

  /** A fetch event; the response the worker gave, or null when it let the request through. */
  async function fetchEvent(request) {
    let responded = null;
    listeners.fetch({ request, respondWith: (p) => { responded = p; } });
    return responded ? await responded : null;
  }
  return { fetchEvent, indexedDB, warnings };
}

function shareRequest(fields, files = []) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append('media', file);
  return new Request(`${ORIGIN}${manifest.share_target.action}`, { method: 'POST', body: form });
}

test('the manifest declares a POST multipart share target for photos and videos', () => {
  const target = manifest.share_target;
  assert.equal(target.method, 'POST');
  assert.equal(target.enctype, 'multipart/form-data');
  assert.deepEqual([target.params.title, target.params.text, target.params.url], ['title', 'text', 'url']);
  const [files] = target.params.files;
  assert.equal(files.name, 'media');
  assert.ok(files.accept.includes('video/*') && files.accept.includes('image/*'));
});

test('shared files are kept in IndexedDB and the composer opens with a 303', async () => {
  const sw = loadWorker();
  const clip = new File(['clip bytes'], 'IMG_0042.MOV', { type: 'video/quicktime' });
  const response = await sw.fetchEvent(shareRequest({ title: 'Lab tour', text: 'Our new lab' }, [clip]));
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), `${ORIGIN}/#/new?share=received`);

  const shared = await readShared(sw.indexedDB);
  assert.equal(shared.text, 'Lab tour\nOur new lab');
  assert.deepEqual(shared.files.map((f) => [f.name, f.type, f.size]), [['IMG_0042.MOV', 'video/quicktime', 10]]);
  assert.equal(await shared.files[0].text(), 'clip bytes');
  // It stays until the composer has attached the files, then it is gone.
  assert.equal((await readShared(sw.indexedDB)).files.length, 1);
  await clearShared(sw.indexedDB);
  assert.equal(await readShared(sw.indexedDB), null);
});

test('several photos keep their order; empty parts and a link repeated in the text are dropped', async () => {
  const sw = loadWorker();
  const photos = ['a.jpg', 'b.jpg', 'c.heic'].map((name) => new File([name], name, { type: 'image/jpeg' }));
  const empty = new File([], '', { type: 'application/octet-stream' }); // what a form sends with no file
  await sw.fetchEvent(shareRequest({ title: '', text: 'See https://x.example/a', url: 'https://x.example/a' }, [...photos, empty]));
  const shared = await readShared(sw.indexedDB);
  assert.deepEqual(shared.files.map((f) => f.name), ['a.jpg', 'b.jpg', 'c.heic']);
  assert.equal(shared.text, 'See https://x.example/a');
});

test('a newer share replaces one the composer has not taken yet', async () => {
  const sw = loadWorker();
  await sw.fetchEvent(shareRequest({}, [new File(['1'], 'old.jpg', { type: 'image/jpeg' })]));
  await sw.fetchEvent(shareRequest({}, [new File(['2'], 'new.mp4', { type: 'video/mp4' })]));
  assert.deepEqual((await readShared(sw.indexedDB)).files.map((f) => f.name), ['new.mp4']);
});

test('when the files cannot be kept the composer still opens, and says so', async () => {
  const broken = { open: () => { throw new DOMException('quota', 'QuotaExceededError'); } };
  const sw = loadWorker({ indexedDB: broken });
  const response = await sw.fetchEvent(shareRequest({}, [new File(['x'], 'x.jpg', { type: 'image/jpeg' })]));
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), `${ORIGIN}/#/new?share=failed`);
  assert.equal(sw.warnings.length, 1);
});

test('other POSTs and other origins are left to the network', async () => {
  const sw = loadWorker();
  assert.equal(await sw.fetchEvent(new Request(`${ORIGIN}/api/posts`, { method: 'POST', body: '{}' })), null);
  assert.equal(await sw.fetchEvent(new Request('https://other.example/share-target', { method: 'POST', body: 'x' })), null);
  assert.equal(await readShared(sw.indexedDB), null);
});
