// Boot: language, HTTP client, service worker, session; then one view per hash route.
import { createHttp, setClient } from './api/http.js';
import { store, storedLanguage } from './actions/app-state.js';
import { restoreSession, sessionExpired } from './actions/session.js';
import { pickLanguage, setLanguage, t } from './lib/i18n.js';
import { parseRoute, navTab, PUBLIC_ROUTES } from './lib/router.js';
import { errorMessage } from './lib/errors.js';
import { el, clear } from './components/dom.js';
import { registerMediaCards } from './components/media-cards.js';
import { openComposer } from './actions/composer.js';
import { SignInView } from './views/sign-in-view.js';
import { JoinView } from './views/join-view.js';
import { FeedView, storedScope } from './views/feed-view.js';
import { prefetchFeed } from './api/posts.js';
import { ProfileView } from './views/profile-view.js';
import { PersonView } from './views/person-view.js';
import { PostView } from './views/post-view.js';
import { MentionView } from './views/mention-view.js';
import { lazyView } from './views/lazy-view.js';
import { NotificationsView } from './views/notifications-view.js';
import { syncPush } from './actions/push.js';

registerMediaCards();

const VIEWS = {
  feed: FeedView,
  videos: lazyView(() => import('./views/videos-view.js').then((m) => m.VideosView)),
  new: lazyView(() => import('./views/composer-view.js').then((m) => m.ComposerView)),
  notifications: NotificationsView,
  profile: ProfileView,
  people: PersonView,
  post: PostView,
  tag: lazyView(() => import('./views/tag-view.js').then((m) => m.TagView)),
  search: lazyView(() => import('./views/search-view.js').then((m) => m.SearchView)),
  mention: MentionView,
  join: JoinView,
  reset: lazyView(() => import('./views/reset-view.js').then((m) => m.ResetView)),
  accounts: lazyView(() => import('./views/people-admin-view.js').then((m) => m.PeopleAdminView)),
  announce: lazyView(() => import('./views/announce-view.js').then((m) => m.AnnounceView)),
  stats: lazyView(() => import('./views/announcement-stats-view.js').then((m) => m.AnnouncementStatsView)),
};

const $ = (id) => document.getElementById(id);
const main = $('main');
const title = $('title');
const topActions = $('top-actions');
const banner = $('offline');
const nav = $('nav');

let networkFailed = false;
let cleanup = null;
let rendered = false;
let booted = false;

function applyLanguage(lang) {
  setLanguage(lang);
  document.documentElement.lang = lang;
  nav.setAttribute('aria-label', t('nav.label'));
  for (const link of nav.querySelectorAll('[data-tab]')) {
    link.querySelector('.nav-label').textContent = t(`nav.${link.dataset.tab}`);
  }
  updateBanner();
}

function updateBanner() {
  const offline = !store.get().online;
  banner.textContent = offline ? t('offline.banner') : '';
  document.body.classList.toggle('is-offline', offline);
}

function setOnline() {
  store.set({ online: navigator.onLine && !networkFailed });
}

const ctx = {
  route: null,
  setTitle(text) {
    title.textContent = text;
    document.title = text === t('app.name') ? text : `${text} · ${t('app.name')}`;
  },
  setActions(...nodes) {
    clear(topActions).append(...nodes);
  },
  navigate(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  },
};

function render() {
  cleanup?.();
  cleanup = null;
  const route = parseRoute(location.hash);
  const { me } = store.get();
  const view = !me && !PUBLIC_ROUTES.has(route.name) ? SignInView : VIEWS[route.name];
  const chrome = Boolean(me) && !PUBLIC_ROUTES.has(route.name);
  document.body.classList.toggle('no-chrome', !chrome);
  const tab = chrome ? navTab(route) : null;
  for (const link of nav.querySelectorAll('[data-tab]')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  ctx.route = route;
  ctx.setActions();
  clear(main);
  window.scrollTo(0, 0);
  try {
    cleanup = view(main, ctx) || null;
  } catch (err) {
    console.error(err);
    main.append(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
  }
  // Move focus to the new screen's heading so screen readers announce it (not on first load).
  if (rendered && !main.contains(document.activeElement)) title.focus({ preventScroll: true });
  rendered = true;
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js').catch((err) => console.warn('service worker', err));
}

async function start() {
  const http = createHttp({
    fetch: (...args) => fetch(...args),
    getCookies: () => document.cookie,
    onUnauthorized: () => { sessionExpired(); },
    onConnectivity(ok) {
      if (networkFailed === !ok) return;
      networkFailed = !ok;
      setOnline();
    },
  });
  setClient(http);
  applyLanguage(pickLanguage({ stored: storedLanguage(), browser: navigator.languages || navigator.language }));
  store.set({ lang: document.documentElement.lang });
  setOnline();
  updateBanner();
  window.addEventListener('online', () => { networkFailed = false; setOnline(); });
  window.addEventListener('offline', setOnline);
  window.addEventListener('hashchange', render);
  registerServiceWorker();

  store.subscribe((state, prev) => {
    if (state.online !== prev.online) updateBanner();
    const langChanged = state.lang !== prev.lang;
    if (langChanged) applyLanguage(state.lang);
    if (booted && (langChanged || (state.me?.id ?? null) !== (prev.me?.id ?? null))) render();
  });

  // Opening on the feed: its first page travels with the session check instead of after it.
  const route = parseRoute(location.hash);
  if (route.name === 'feed' && storedScope() === 'company') prefetchFeed();
  try {
    await restoreSession();
  } catch (err) {
    console.warn('session', err);
  }
  booted = true;
  render();
  // An upload cut off when the app was closed carries on now, whichever screen opens.
  if (store.get().me) openComposer().catch((err) => console.warn('draft', err));
  // A subscription the browser renewed while the app was closed reaches the server (never prompts).
  if (store.get().me) syncPush().catch((err) => console.warn('push', err));
}

start();
