// The service worker's push handlers run in a sandbox: what is shown, what a tap opens, re-subscribing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../pwa/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://hall.example';

function loadWorker({ language = 'en-GB', windows = [], cookie = 'tok123', newSubscription = null } = {}) {
  const listeners = {};
  const shown = [];
  const opened = [];
  const requests = [];
  const badges = [];
  const subscribed = [];
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    navigator: { language, setAppBadge: async (n) => { badges.push(n); } },
    registration: {
      scope: `${ORIGIN}/`,
      showNotification: async (title, options) => { shown.push({ title, options }); },
      pushManager: {
        subscribe: async (opts) => {
          subscribed.push(opts);
          return { toJSON: () => ({ endpoint: 'https://push.example/new', keys: { p256dh: 'p', auth: 'a' } }) };
        },
      },
    },
    cookieStore: cookie === null ? undefined : { get: async (name) => (name === 'csrftoken' ? { value: cookie } : null) },
    addEventListener: (type, fn) => { listeners[type] = fn; },
    clients: {
      claim: async () => {},
      matchAll: async () => windows,
      openWindow: async (url) => { opened.push(url); return null; },
    },
  };
  const fetch = async (url, init = {}) => {
    requests.push({ url: String(url), ...init });
    if (String(url) === '/api/push/key') return new Response('{"public_key":"BKEY"}', { status: 200 });
    return new Response('{}', { status: 201 });
  };
  vm.runInNewContext(SOURCE, { self, caches: {}, fetch, URL, Request, Response, Headers, Set, Promise, JSON, String });

  async function dispatch(type, extra = {}) {
    const waits = [];
    listeners[type]({ ...extra, waitUntil: (p) => waits.push(p) });
    assert.equal(waits.length, 1, `${type} must use event.waitUntil`);
    await Promise.all(waits);
  }
  return { dispatch, shown, opened, requests, badges, subscribed, newSubscription };
}

const pushData = (payload) => ({ json: () => (typeof payload === 'string' ? JSON.parse(payload) : payload) });

test('push shows the title, body, icon, poster and a tag per post, remembering where a tap goes', async () => {
  const sw = loadWorker();
  await sw.dispatch('push', {
    data: pushData({
      title: 'Ana Lopez posted a video', body: 'Our new lab tour', url: '/#/post/42', icon: '/icons/icon-192.png',
      image: '/media/posters/42.webp', tag: 'post-42',
    }),
  });
  assert.equal(sw.shown.length, 1);
  const { title, options } = sw.shown[0];
  assert.equal(title, 'Ana Lopez posted a video');
  assert.equal(options.body, 'Our new lab tour');
  assert.equal(options.icon, '/icons/icon-192.png');
  assert.equal(options.image, '/media/posters/42.webp');
  assert.equal(options.tag, 'post-42');
  assert.equal(options.data.url, `${ORIGIN}/#/post/42`);
  assert.deepEqual(sw.badges, [undefined]);
});

test('an unreadable payload still shows a generic notification, in the browser language', async () => {
  for (const [data, language, body] of [
    [{ json: () => { throw new SyntaxError('bad'); } }, 'en-US', 'You have a new notification.'],
    [null, 'de-DE', 'Sie haben eine neue Mitteilung.'],
    [pushData({ body: 'no title' }), 'en', 'You have a new notification.'],
  ]) {
    const sw = loadWorker({ language });
    await sw.dispatch('push', { data });
    assert.equal(sw.shown.length, 1);
    assert.equal(sw.shown[0].title, 'Hallway');
    assert.equal(sw.shown[0].options.body, body);
    assert.equal(sw.shown[0].options.data.url, `${ORIGIN}/#/notifications`);
  }
});

test('a payload pointing elsewhere cannot make a tap leave the app', async () => {
  const sw = loadWorker();
  await sw.dispatch('push', { data: pushData({ title: 'x', url: 'https://evil.example/phish' }) });
  assert.equal(sw.shown[0].options.data.url, `${ORIGIN}/#/notifications`);
});

function notification(url) {
  const n = { closed: false, data: { url }, close() { n.closed = true; } };
  return n;
}

test('a tap focuses an open window and navigates it to the post', async () => {
  const calls = [];
  const client = {
    url: `${ORIGIN}/#/feed`,
    focus: async () => { calls.push('focus'); return client; },
    navigate: async (url) => { calls.push(`navigate ${url}`); return client; },
  };
  const sw = loadWorker({ windows: [client] });
  const n = notification(`${ORIGIN}/#/post/42`);
  await sw.dispatch('notificationclick', { notification: n });
  assert.ok(n.closed);
  assert.deepEqual(calls, ['focus', `navigate ${ORIGIN}/#/post/42`]);
  assert.deepEqual(sw.opened, []);
});

test('a window that refuses focus is still shown the post', async () => {
  const calls = [];
  const client = {
    url: `${ORIGIN}/#/feed`,
    focus: async () => { throw new Error('Not allowed to focus a window.'); },
    navigate: async (url) => { calls.push(`navigate ${url}`); return client; },
  };
  const sw = loadWorker({ windows: [client] });
  await sw.dispatch('notificationclick', { notification: notification(`${ORIGIN}/#/post/9`) });
  assert.deepEqual(calls, [`navigate ${ORIGIN}/#/post/9`]);
  assert.deepEqual(sw.opened, []);
});

test('a tap with no window open opens the post', async () => {
  const sw = loadWorker({ windows: [{ url: 'https://other.example/', focus: async () => {}, navigate: async () => {} }] });
  await sw.dispatch('notificationclick', { notification: notification(`${ORIGIN}/#/post/7`) });
  assert.deepEqual(sw.opened, [`${ORIGIN}/#/post/7`]);
});

test('pushsubscriptionchange subscribes again and posts the new subscription with the CSRF token', async () => {
  const sw = loadWorker();
  await sw.dispatch('pushsubscriptionchange', {});
  assert.deepEqual(JSON.parse(JSON.stringify(sw.subscribed)), [{ userVisibleOnly: true, applicationServerKey: 'BKEY' }]);
  const post = sw.requests.find((r) => r.url === '/api/push/subscriptions');
  assert.equal(post.method, 'POST');
  assert.equal(post.headers['x-csrftoken'], 'tok123');
  assert.deepEqual(JSON.parse(post.body), { endpoint: 'https://push.example/new', keys: { p256dh: 'p', auth: 'a' } });
});

test('pushsubscriptionchange uses the new subscription the browser hands over', async () => {
  const sw = loadWorker();
  const fresh = { toJSON: () => ({ endpoint: 'https://push.example/given', keys: { p256dh: 'p', auth: 'a' } }) };
  await sw.dispatch('pushsubscriptionchange', { newSubscription: fresh });
  assert.deepEqual(sw.subscribed, []);
  const post = sw.requests.find((r) => r.url === '/api/push/subscriptions');
  assert.equal(JSON.parse(post.body).endpoint, 'https://push.example/given');
});

test('without cookieStore the worker leaves the new subscription to the page', async () => {
  const sw = loadWorker({ cookie: null });
  await sw.dispatch('pushsubscriptionchange', {});
  assert.equal(sw.subscribed.length, 1);
  assert.equal(sw.requests.find((r) => r.url === '/api/push/subscriptions'), undefined);
});
