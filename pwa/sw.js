// Hallway service worker: precache the shell, open offline, keep the last first feed page.
// Bump VERSION whenever a shell file changes; the old shell cache is dropped on activate.
const VERSION = 'v9';
const SHELL_CACHE = `hallway-shell-${VERSION}`;
const API_CACHE = 'hallway-api'; // the page deletes it on sign-out
const FEED_KEY = '/api/feed';
const FROM_CACHE_HEADER = 'x-hallway-from-cache';

const SHELL = [
  './',
  'index.html',
  'manifest.webmanifest',
  'css/app.css',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/icon-maskable-512.png',
  'js/main.js',
  'js/actions/accounts.js',
  'js/actions/app-state.js',
  'js/actions/composer.js',
  'js/actions/posts.js',
  'js/actions/profile.js',
  'js/actions/session.js',
  'js/api/accounts.js',
  'js/api/announcements.js',
  'js/api/http.js',
  'js/api/invites.js',
  'js/api/people.js',
  'js/api/posts.js',
  'js/api/session.js',
  'js/api/uploads.js',
  'js/components/attachment-list.js',
  'js/components/confirm-dialog.js',
  'js/components/dom.js',
  'js/components/feed-list.js',
  'js/components/icons.js',
  'js/components/media-cards.js',
  'js/components/person-card.js',
  'js/components/post-actions.js',
  'js/components/post-body.js',
  'js/components/must-read.js',
  'js/components/post-card.js',
  'js/components/toast.js',
  'js/components/link-page.js',
  'js/lib/avatar.js',
  'js/lib/blurhash.js',
  'js/lib/announce-model.js',
  'js/lib/compose.js',
  'js/lib/draft-store.js',
  'js/lib/share-inbox.js',
  'js/lib/errors.js',
  'js/lib/i18n.js',
  'js/lib/linkify.js',
  'js/lib/media-model.js',
  'js/lib/relative-time.js',
  'js/lib/router.js',
  'js/lib/store.js',
  'js/intl/en.js',
  'js/intl/de.js',
  'js/lib/urls.js',
  'js/lib/upload-queue.js',
  'js/lib/request-key.js',
  'js/views/announce-view.js',
  'js/views/announcement-stats-view.js',
  'js/views/composer-view.js',
  'js/views/feed-view.js',
  'js/views/join-view.js',
  'js/views/mention-view.js',
  'js/views/people-admin-view.js',
  'js/views/person-view.js',
  'js/components/reactions.js',
  'js/lib/reactions-model.js',
  'js/api/social.js',
  'js/components/comments-sheet.js',
  'js/components/kudos-sheet.js',
  'js/components/sheet.js',
  'js/components/mention-input.js',
  'js/components/people-picker.js',
  'js/components/people-suggest.js',
  'js/components/new-posts.js',
  'js/actions/record-views.js',
  'js/lib/view-queue.js',
  'js/lib/mention-token.js',
  'js/lib/snippet.js',
  'js/views/search-view.js',
  'js/views/tag-view.js',
  'js/components/lazy-styles.js',
  'css/social.css',
  'js/components/follow-panel.js',
  'js/views/post-view.js',
  'js/views/profile-view.js',
  'js/views/reset-view.js',
  'js/views/sign-in-view.js',
  'js/views/videos-view.js',
  'js/views/lazy-view.js',
  'js/components/video-pager.js',
  'js/lib/pager-model.js',
  'js/views/notifications-view.js',
  'js/actions/push.js',
  'js/api/notifications.js',
  'js/components/push-settings.js',
  'js/lib/push-support.js',
  // vendor/tus.min.js is not here: only the composer loads it, from the network when uploading.
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('hallway-shell-') && key !== SHELL_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

/** Only the main feed's first page: no cursor, author or kind filter. */
function isFirstFeedPage(url) {
  if (url.pathname !== FEED_KEY) return false;
  return !['cursor', 'author', 'kind', 'scope', 'tag'].some((key) => url.searchParams.get(key));
}

async function feedNetworkFirst(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(FEED_KEY, response.clone());
    else if (response.status === 401) await cache.delete(FEED_KEY);
    return response;
  } catch (err) {
    const cached = await cache.match(FEED_KEY);
    if (!cached) throw err;
    const headers = new Headers(cached.headers);
    headers.set(FROM_CACHE_HEADER, '1');
    return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
  }
}

async function navigation(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await caches.open(SHELL_CACHE);
    return (await shell.match('index.html')) || Response.error();
  }
}

const SHELL_PATHS = new Set(SHELL.map((path) => new URL(path, self.registration.scope).pathname));

async function shellFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true });
  return cached || fetch(request);
}

// Web Share Target ("Share → Hallway" from the phone's gallery, manifest share_target): the
// files go into IndexedDB and the composer picks them up as if picked (js/lib/share-inbox.js
// readShared reads what is written here; a classic service worker cannot import that module).
// Without this worker the server answers the same URL with a redirect and a message.
const SHARE_PATH = '/share-target';
const SHARE_DB = 'hallway-share';
const SHARE_STORE = 'inbox';
const SHARE_KEY = 'pending';

function idbRequest(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Keep one share ({files, text, at}) for the composer; a newer share replaces an unread one. */
async function saveShare(entry) {
  const open = self.indexedDB.open(SHARE_DB, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(SHARE_STORE);
  const db = await idbRequest(open);
  try {
    const tx = db.transaction(SHARE_STORE, 'readwrite');
    tx.objectStore(SHARE_STORE).put(entry, SHARE_KEY);
    await new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** The shared title, text and link as one message, each once (apps repeat the link in the text). */
function sharedText(form) {
  const parts = [];
  for (const name of ['title', 'text', 'url']) {
    const value = String(form.get(name) || '').trim();
    if (value && !parts.some((part) => part.includes(value))) parts.push(value);
  }
  return parts.join('\n');
}

async function receiveShare(request) {
  let outcome = 'received';
  try {
    const form = await request.formData();
    const files = form.getAll('media').filter((file) => typeof file !== 'string' && file.size > 0);
    await saveShare({ files, text: sharedText(form), at: Date.now() });
  } catch (err) {
    console.warn('share target', err); // a body too large for memory, or IndexedDB refused: say so
    outcome = 'failed';
  }
  // 303: the composer is fetched with GET, and a reload does not post the files again.
  return Response.redirect(new URL(`#/new?share=${outcome}`, self.registration.scope).href, 303);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method === 'POST' && url.pathname === SHARE_PATH && url.origin === self.location.origin) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    // Network only for every other API call: nothing else is cached.
    if (isFirstFeedPage(url)) event.respondWith(feedNetworkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  // Shell files from the cache; anything else (media later, with Range requests) untouched.
  if (SHELL_PATHS.has(url.pathname)) event.respondWith(shellFirst(request));
});

// Web push (payload from server/push/jobs.py: {title, body, url, icon, image, tag}).
const GENERIC = {
  en: ['Hallway', 'You have a new notification.'],
  de: ['Hallway', 'Sie haben eine neue Mitteilung.'],
};

/** Only this app's own pages open from a notification; anything else opens the list. */
function appUrl(url) {
  const scope = self.registration.scope;
  try {
    const target = new URL(url, scope);
    if (target.origin === self.location.origin) return target.href;
  } catch {}
  return new URL('#/notifications', scope).href;
}

function readPush(data) {
  try {
    const p = data ? data.json() : null;
    if (p && typeof p.title === 'string' && p.title) return p;
  } catch {}
  return null;
}

self.addEventListener('push', (event) => {
  const p = readPush(event.data);
  const lang = String(self.navigator?.language || '').startsWith('de') ? 'de' : 'en';
  const [title, body] = p ? [p.title, String(p.body || '')] : GENERIC[lang];
  const options = {
    body,
    icon: (p && p.icon) || 'icons/icon-192.png',
    badge: 'icons/icon-192.png',
    // One notification per post: a repeat replaces it instead of stacking up.
    tag: (p && p.tag) || 'hallway',
    data: { url: appUrl((p && p.url) || '#/notifications') },
  };
  if (p && p.image) options.image = p.image;
  // Always show something inside waitUntil: browsers penalise a push that shows nothing.
  event.waitUntil(Promise.all([
    self.registration.showNotification(title, options),
    self.navigator?.setAppBadge ? self.navigator.setAppBadge().catch(() => {}) : null,
  ]));
});

/**
 * What a tap on a notification does: focus an open window of the app and show the post there,
 * or open a new one. A top-level function, so the browser test can run it on a real notification.
 */
async function openFromNotification(notification) {
  notification.close();
  const url = appUrl(notification.data?.url);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!open) return self.clients.openWindow(url);
  // Focus needs the tap's user activation; a refused focus must not keep the post from showing.
  const focused = await open.focus().catch(() => null);
  if (open.url !== url) await (focused || open).navigate(url).catch(() => self.clients.openWindow(url));
  return null;
}

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(openFromNotification(event.notification));
});

// The browser replaced the subscription (expiry, key rotation): tell the server the new one.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    let sub = event.newSubscription;
    if (!sub) {
      const res = await fetch('/api/push/key', { credentials: 'same-origin' });
      if (!res.ok) return;
      const key = (await res.json()).public_key;
      sub = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    // The CSRF cookie is readable here only through cookieStore; without it the page
    // sends the new subscription the next time it starts (actions/push.js syncPush).
    const csrf = self.cookieStore ? (await self.cookieStore.get('csrftoken'))?.value : null;
    if (!csrf) return;
    await fetch('/api/push/subscriptions', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrftoken': csrf },
      body: JSON.stringify(sub.toJSON ? sub.toJSON() : sub),
    });
  })());
});
