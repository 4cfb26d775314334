// Which posts were seen: a card at least half on screen for a second counts once per session,
// and a video in a card reports how much of it was watched (when it pauses, is scrolled away or
// the screen closes). The Videos pager reports its own: a clip is seen once it is the visible one,
// and the seconds it really played (loops add up) when it is left. Views go out in batches every few seconds and when the app is hidden.
// sendBeacon cannot set the CSRF header, so the last batch is a fetch with keepalive (it
// outlives the page too).
import { CSRF_COOKIE, CSRF_HEADER } from '../api/http.js';
import { readCookie } from '../lib/compose.js';
import { playedSeconds, viewQueue, MAX_BATCH } from '../lib/view-queue.js';

const DWELL_MS = 1000;
const FLUSH_MS = 5000;
const seen = new Set(); // post ids already counted in this session
const queue = viewQueue(); // shared by every screen: a batch cut short by leaving one goes with the next

let flushTimer = null;
const clipSeconds = new Map(); // post id -> seconds played in the Videos pager this session (loops add up)

/** POST a JSON body that outlives the page (keepalive), with the CSRF header sendBeacon cannot set. */
export function sendKeepalive(path, body) {
  const token = readCookie(document.cookie, CSRF_COOKIE);
  return fetch(path, {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(token ? { [CSRF_HEADER]: token } : {}) },
    body: JSON.stringify(body),
  });
}

/** Send what is waiting now (the app is hidden, a screen closes); the rest goes with the next batch. */
export function flushViews() {
  clearTimeout(flushTimer);
  flushTimer = null;
  if (!queue.size) return;
  const items = queue.take(MAX_BATCH);
  sendKeepalive('/api/views', { items }).then((response) => {
    if (!response.ok && response.status >= 500) queue.restore(items); // the server's trouble: another time
  }, () => queue.restore(items)); // offline: send them another time
  if (queue.size) flushTimer = setTimeout(flushViews, FLUSH_MS);
}

const later = () => { flushTimer ??= setTimeout(flushViews, FLUSH_MS); };

/** The post was seen (counted once per session). */
export function countSeen(id) {
  if (!id || seen.has(id)) return;
  seen.add(id);
  queue.seen(id);
  later();
}

/** A pager clip played `seconds` more (of `duration`): its session total is what is reported. */
export function countClipPlayed(id, seconds, duration) {
  if (!id) return;
  const total = (clipSeconds.get(id) || 0) + Math.max(0, Number(seconds) || 0);
  clipSeconds.set(id, total);
  seen.add(id);
  if (queue.watched(id, total, duration)) later();
}

/** RecordViews(root): watches the <article data-post-id> cards inside root. Returns {flush, destroy}. */
export function RecordViews(root) {
  const timers = new Map();
  const flush = flushViews;

  function counted(id) {
    timers.delete(id);
    countSeen(id);
  }

  /** A card's video: how long it played in all, reported when it adds a second or more. */
  function reportVideo(video) {
    const card = video.closest('article[data-post-id]');
    const id = Number(card?.dataset.postId);
    if (!id) return;
    if (queue.watched(id, playedSeconds(video.played), video.duration)) {
      seen.add(id); // a watched video was seen: the dwell timer need not count it again
      later();
    }
  }

  // Media events do not bubble, but they pass the root while capturing.
  const onPause = (event) => {
    if (event.target instanceof HTMLVideoElement) reportVideo(event.target);
  };
  root.addEventListener('pause', onPause, true);
  const sweep = () => {
    for (const video of root.querySelectorAll('article[data-post-id] video')) if (video.played.length) reportVideo(video);
  };

  const io = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const id = Number(entry.target.dataset.postId);
      if (!id || seen.has(id)) continue;
      if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
        if (!timers.has(id)) timers.set(id, setTimeout(() => counted(id), DWELL_MS));
      } else {
        clearTimeout(timers.get(id));
        timers.delete(id);
      }
    }
  }, { threshold: [0, 0.5] });

  const watch = (node) => {
    if (node.nodeType !== 1) return;
    if (node.matches('article[data-post-id]')) io.observe(node);
    for (const card of node.querySelectorAll('article[data-post-id]')) io.observe(card);
  };
  const mo = new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(watch);
  });
  mo.observe(root, { childList: true, subtree: true });
  watch(root);

  const leave = () => { sweep(); flush(); };
  function onVisibility() {
    if (document.visibilityState === 'hidden') leave();
  }
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', leave);

  return {
    flush: leave,
    destroy() {
      leave();
      io.disconnect();
      mo.disconnect();
      root.removeEventListener('pause', onPause, true);
      for (const timer of timers.values()) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', leave);
    },
  };
}
