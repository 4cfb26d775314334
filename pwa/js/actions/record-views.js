// Which posts were seen: a card at least half on screen for a second counts once per session,
// and a video in a card reports the seconds it really played (when it pauses, is scrolled away or
// the screen closes). The Videos pager reports its own: a clip is seen once it is the visible one,
// and the seconds it played when it is left. Both count with a playClock and add up per post in
// countClipPlayed, so a looping clip counts each loop wherever it plays. Views go out in batches
// every few seconds and when the app is hidden.
// sendBeacon cannot set the CSRF header, so the last batch is a fetch with keepalive (it
// outlives the page too).
import { CSRF_COOKIE, CSRF_HEADER } from '../api/http.js';
import { readCookie } from '../lib/compose.js';
import { playClock, viewQueue, MAX_BATCH } from '../lib/view-queue.js';

const DWELL_MS = 1000;
const FLUSH_MS = 5000;
const seen = new Set(); // post ids already counted in this session
const queue = viewQueue(); // shared by every screen: a batch cut short by leaving one goes with the next

let flushTimer = null;

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

/** A clip (pager or feed card) played `seconds` more (of `duration`): its session total is what is reported. */
export function countClipPlayed(id, seconds, duration) {
  if (!id) return;
  if (!(seconds > 0)) return;
  seen.add(id); // a watched video was seen: the dwell timer need not count it again
  if (queue.played(id, seconds, duration)) later();
}

/** RecordViews(root): watches the <article data-post-id> cards inside root. Returns {flush, destroy}. */
export function RecordViews(root) {
  const timers = new Map();
  const flush = flushViews;

  function counted(id) {
    timers.delete(id);
    countSeen(id);
  }

  // Each card video's play clock, fed from its timeupdates (as the pager's): `played` ranges
  // merge when a looping clip comes round again, the clock counts every loop.
  const clocks = new WeakMap();
  const clockOf = (video) => {
    if (!clocks.has(video)) clocks.set(video, playClock());
    return clocks.get(video);
  };

  /** A card's video: the seconds it played since the last report go to its session total. */
  function reportVideo(video) {
    const card = video.closest('article[data-post-id]');
    const id = Number(card?.dataset.postId);
    const clock = clocks.get(video);
    if (!id || !clock) return;
    clock.tick(video.currentTime, video.duration, performance.now());
    countClipPlayed(id, clock.take(), video.duration);
  }

  // Media events do not bubble, but they pass the root while capturing.
  const isVideo = (event) => event.target instanceof HTMLVideoElement;
  const onPlay = (event) => {
    if (isVideo(event)) clockOf(event.target).mark(event.target.currentTime, performance.now());
  };
  const onTime = (event) => {
    const video = event.target;
    if (isVideo(event) && !video.paused) clockOf(video).tick(video.currentTime, video.duration, performance.now());
  };
  const onPause = (event) => {
    if (isVideo(event)) reportVideo(event.target);
  };
  root.addEventListener('play', onPlay, true);
  root.addEventListener('timeupdate', onTime, true);
  root.addEventListener('pause', onPause, true);
  const sweep = () => {
    for (const video of root.querySelectorAll('article[data-post-id] video')) reportVideo(video);
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
      root.removeEventListener('play', onPlay, true);
      root.removeEventListener('timeupdate', onTime, true);
      root.removeEventListener('pause', onPause, true);
      for (const timer of timers.values()) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', leave);
    },
  };
}
