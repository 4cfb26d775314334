// Videos: every published clip in a full-height vertical pager, newest first, loaded page by
// page as the viewer nears the end; coming back resumes at the clip they left. A clip counts as
// seen once it is the visible one; the seconds it played go out when it is left, the screen is
// left or the app is hidden, and a must-read's share watched unlocks its "Got it".
import { getFeed } from '../api/posts.js';
import { countClipPlayed, countSeen, flushViews, sendKeepalive } from '../actions/record-views.js';
import { store } from '../actions/app-state.js';
import { mustReadModel } from '../lib/announce-model.js';
import { t } from '../lib/i18n.js';
import { errorMessage } from '../lib/errors.js';
import { routeHash } from '../lib/router.js';
import { positionStore, soundPreference } from '../lib/pager-model.js';
import { el } from '../components/dom.js';
import { icon } from '../components/icons.js';
import { showToast } from '../components/toast.js';
import { VideoPager } from '../components/video-pager.js';

const PAGE = 10;
const RESTORE_LIMIT = 200; // pages are loaded up to this many clips to find where the viewer was

export function VideosView(main, ctx) {
  ctx.setTitle(t('videos.title'));
  document.body.classList.add('videos-mode');
  const position = positionStore(sessionStorage);
  const sound = soundPreference(localStorage);
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

  const soundButton = el('button', {
    type: 'button', class: 'icon-btn', 'aria-label': t('post.sound'), title: t('post.sound'),
    onclick() {
      sound.set(!sound.get());
      paintSound();
      pager.setSound(sound.get());
    },
  });
  function paintSound() {
    soundButton.setAttribute('aria-pressed', String(sound.get()));
    soundButton.replaceChildren(icon(sound.get() ? 'sound' : 'muted'));
  }
  paintSound();
  ctx.setActions(soundButton);

  const holder = el('section', { class: 'videos' });
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' });
  main.append(holder, status);

  let cursor = null;
  let done = false;
  let loading = null;
  let alive = true;
  const saved = position.load();
  let restoring = Boolean(saved);

  const pager = VideoPager(holder, {
    label: t('videos.title'),
    autoplay: !reduceMotion,
    sound,
    onActive(index, post) {
      if (restoring) return; // the first clip shows only until the pager jumps to where the viewer was
      position.save({ id: post.id, index });
      countSeen(post.id);
    },
    onLeave(post, { seconds, duration, share }) {
      if (seconds > 0) countClipPlayed(post.id, seconds, duration);
      mustReadProgress(post, share);
    },
    onNear() {
      loadMore();
    },
    onError(err) {
      showToast(errorMessage(err, t));
    },
  });

  /** A must-read clip watched further than the server knows: tell announcements (the 80% rule). */
  function mustReadProgress(post, share) {
    if (mustReadModel(post, store.get().me?.id)?.state !== 'watch' || !(share > (post.watched || 0) + 0.01)) return;
    post.watched = share;
    const path = `/api/announcements/${encodeURIComponent(post.id)}/progress`;
    sendKeepalive(path, { fraction: Math.round(share * 1000) / 1000 }).catch(() => {}); // lost: watched again next time
  }

  // The app goes to the background (or the page away): what the visible clip played so far, sent now.
  const background = () => { pager.report(); flushViews(); };
  const onVisibility = () => { if (document.visibilityState === 'hidden') background(); };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', background);

  function setStatus(text, retry = false) {
    status.replaceChildren(...[
      text ? el('p', {}, text) : null,
      retry ? el('button', { type: 'button', class: 'btn', onclick: () => loadMore() }, t('feed.retry')) : null,
      !text || retry ? null : el('a', { class: 'btn', href: routeHash('new') }, t('videos.record')),
    ].filter(Boolean));
    holder.hidden = Boolean(text) && !pager.count();
  }

  function loadMore() {
    if (loading || done) return loading;
    pager.setBusy(true);
    loading = getFeed({ kind: 'video', cursor, limit: PAGE }).then((page) => {
      if (!alive) return;
      const posts = (page.items || []).filter((p) => p.status === 'published' && p.media?.[0]?.kind === 'video');
      cursor = page.next_cursor || null;
      done = !cursor;
      pager.append(posts);
      setStatus(pager.count() ? '' : t('videos.empty'));
    }).catch((err) => {
      if (alive) setStatus(errorMessage(err, t), true);
      done = false;
    }).finally(() => {
      loading = null;
      if (alive) pager.setBusy(false);
    });
    return loading;
  }

  async function start() {
    await loadMore();
    if (!saved) return;
    // Load pages until the clip the viewer left is there (or we give up), then jump to it.
    let found = -1;
    const where = () => [...holder.querySelectorAll('.clip')].findIndex((node) => node.dataset.postId === String(saved.id));
    while (alive && (found = where()) < 0 && !done && pager.count() < Math.min(RESTORE_LIMIT, saved.index + PAGE * 2)) {
      await loadMore();
    }
    restoring = false;
    if (!alive || !pager.count()) return;
    const index = found >= 0 ? found : Math.min(saved.index, pager.count() - 1);
    pager.scrollTo(index);
    countSeen(Number(holder.querySelectorAll('.clip')[index]?.dataset.postId)); // also when it was already the first

  }
  start();

  return () => {
    alive = false;
    document.body.classList.remove('videos-mode');
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', background);
    pager.destroy();
    flushViews();
  };
}
