// The service worker run in a sandbox with fake caches and network: what it keeps, what not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../pwa/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://hall.example';

function fakeCaches() {
  const stores = new Map();
  const keyOf = (req) => new URL(typeof req === 'string' ? req : req.url, `${ORIGIN}/`).pathname;
  const open = async (name) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const store = stores.get(name);
    return {
      addAll: async (reqs) => { for (const r of reqs) store.set(keyOf(r), new Response(`shell ${keyOf(r)}`)); },
      put: async (req, res) => { store.set(keyOf(req), res); },
      match: async (req) => store.get(keyOf(req))?.clone(),
      delete: async (req) => store.delete(keyOf(req)),
      keys: async () => [...store.keys()],
    };
  };
  return {
    stores,
    open,
    keys: async () => [...stores.keys()],
    delete: async (name) => stores.delete(name),
    has: async (name) => stores.has(name),
    match: async (req, { cacheName } = {}) => (await open(cacheName)).match(req),
  };
}

function loadWorker() {
  const listeners = {};
  const net = { online: true, handler: () => new Response('{"items":[]}', { status: 200 }) };
  const caches = fakeCaches();
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    registration: { scope: `${ORIGIN}/` },
    addEventListener: (type, fn) => { listeners[type] = fn; },
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const fetch = async (req) => {
    if (!net.online) throw new TypeError('Failed to fetch');
    return net.handler(req);
  };
  // In a worker, relative URLs resolve against its location; Node's Request needs that done.
  class WorkerRequest extends Request {
    constructor(url, init) {
      super(new URL(url, self.location), init);
    }
  }
  vm.runInNewContext(SOURCE, { self, caches, fetch, URL, Request: WorkerRequest, Response, Headers, Set, Promise });

  async function dispatch(type, extra = {}) {
    const waits = [];
    let responded = null;
    const event = {
      ...extra,
      waitUntil: (p) => waits.push(p),
      respondWith: (p) => { responded = p; },
    };
    listeners[type](event);
    await Promise.all(waits);
    return responded ? await responded : null;
  }
  const get = (path, { mode = 'cors', method = 'GET' } = {}) =>
    dispatch('fetch', { request: { url: `${ORIGIN}${path}`, method, mode } });
  return { dispatch, get, net, caches };
}

test('install precaches the shell; activate drops older shell caches', async () => {
  const sw = loadWorker();
  await sw.caches.open('hallway-shell-v0');
  await sw.dispatch('install');
  const names = await sw.caches.keys();
  const current = names.find((n) => n.startsWith('hallway-shell-') && n !== 'hallway-shell-v0');
  assert.ok(current);
  const shell = sw.caches.stores.get(current);
  for (const path of ['/', '/index.html', '/js/main.js', '/css/app.css', '/manifest.webmanifest']) {
    assert.ok(shell.has(path), path);
  }
  await sw.dispatch('activate');
  assert.deepEqual(await sw.caches.keys(), [current]);
});

test('the first feed page is network-first and kept for offline use', async () => {
  const sw = loadWorker();
  await sw.dispatch('install');
  sw.net.handler = () => new Response('{"items":[{"id":1}],"next_cursor":null}', { status: 200 });
  const online = await sw.get('/api/feed');
  assert.equal(online.headers.get('x-hallway-from-cache'), null);
  sw.net.online = false;
  const offline = await sw.get('/api/feed');
  assert.equal(offline.headers.get('x-hallway-from-cache'), '1');
  assert.deepEqual(await offline.json(), { items: [{ id: 1 }], next_cursor: null });
});

test('nothing is cached offline before a feed was seen: the failure surfaces', async () => {
  const sw = loadWorker();
  sw.net.online = false;
  await assert.rejects(sw.get('/api/feed'), TypeError);
});

test('a 401 on the feed drops the kept page', async () => {
  const sw = loadWorker();
  await sw.get('/api/feed');
  assert.equal(sw.caches.stores.get('hallway-api').size, 1);
  sw.net.handler = () => new Response('{"detail":"Please sign in."}', { status: 401 });
  await sw.get('/api/feed');
  assert.equal(sw.caches.stores.get('hallway-api').size, 0);
});

test('other API requests, later pages, filters and writes are not touched', async () => {
  const sw = loadWorker();
  for (const path of ['/api/me', '/api/feed?cursor=abc', '/api/feed?author=2', '/api/feed?kind=video', '/api/people']) {
    assert.equal(await sw.get(path), null, path);
  }
  assert.equal(await sw.get('/api/posts', { method: 'POST' }), null);
  assert.equal(sw.caches.stores.get('hallway-api'), undefined);
});

test('navigations fall back to the cached index.html offline', async () => {
  const sw = loadWorker();
  await sw.dispatch('install');
  sw.net.online = false;
  const page = await sw.get('/', { mode: 'navigate' });
  assert.equal(await page.text(), 'shell /index.html');
});

test('shell files come from the cache; other files are left to the network', async () => {
  const sw = loadWorker();
  await sw.dispatch('install');
  sw.net.online = false;
  assert.equal(await (await sw.get('/js/main.js')).text(), 'shell /js/main.js');
  assert.equal(await sw.get('/media/clip.mp4'), null);
  const foreign = await sw.dispatch('fetch', { request: { url: 'https://cdn.example/x.js', method: 'GET', mode: 'cors' } });
  assert.equal(foreign, null);
});
