// Hallway service worker: precache the shell, open offline, keep the last first feed page.
// Bump VERSION whenever a shell file changes; the old shell cache is dropped on activate.
const VERSION = 'v1';
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
  'js/actions/app-state.js',
  'js/actions/posts.js',
  'js/actions/profile.js',
  'js/actions/session.js',
  'js/api/http.js',
  'js/api/invites.js',
  'js/api/people.js',
  'js/api/posts.js',
  'js/api/session.js',
  'js/components/confirm-dialog.js',
  'js/components/dom.js',
  'js/components/feed-list.js',
  'js/components/icons.js',
  'js/components/person-card.js',
  'js/components/post-actions.js',
  'js/components/post-body.js',
  'js/components/post-card.js',
  'js/components/toast.js',
  'js/lib/avatar.js',
  'js/lib/compose.js',
  'js/lib/errors.js',
  'js/lib/i18n.js',
  'js/lib/linkify.js',
  'js/lib/relative-time.js',
  'js/lib/router.js',
  'js/lib/store.js',
  'js/lib/strings.js',
  'js/lib/urls.js',
  'js/views/composer-view.js',
  'js/views/feed-view.js',
  'js/views/join-view.js',
  'js/views/mention-view.js',
  'js/views/person-view.js',
  'js/views/placeholder-view.js',
  'js/views/post-view.js',
  'js/views/profile-view.js',
  'js/views/sign-in-view.js',
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
  return !['cursor', 'author', 'kind'].some((key) => url.searchParams.get(key));
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

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
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
