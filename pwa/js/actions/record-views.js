// Which posts were seen: a card at least half on screen for a second counts once per session.
// Views go out in batches every few seconds and when the app is hidden. sendBeacon cannot set
// the CSRF header, so the last batch is a fetch with keepalive (it outlives the page too).
import { CSRF_COOKIE, CSRF_HEADER } from '../api/http.js';
import { readCookie } from '../lib/compose.js';

const DWELL_MS = 1000;
const FLUSH_MS = 5000;
const MAX_BATCH = 100;
const seen = new Set(); // post ids already counted in this session

/** RecordViews(root): watches the <article data-post-id> cards inside root. Returns {destroy}. */
export function RecordViews(root) {
  const pending = new Set();
  const timers = new Map();
  let flushTimer = null;

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = null;
    if (!pending.size) return;
    const items = [...pending].slice(0, MAX_BATCH).map((id) => ({ post_id: id }));
    for (const { post_id: id } of items) pending.delete(id);
    const token = readCookie(document.cookie, CSRF_COOKIE);
    fetch('/api/views', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(token ? { [CSRF_HEADER]: token } : {}) },
      body: JSON.stringify({ items }),
    }).catch(() => {
      for (const { post_id: id } of items) seen.delete(id); // count them another time
    });
    if (pending.size) flushTimer = setTimeout(flush, FLUSH_MS);
  }

  function counted(id) {
    timers.delete(id);
    if (seen.has(id)) return;
    seen.add(id);
    pending.add(id);
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  }

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

  function onVisibility() {
    if (document.visibilityState === 'hidden') flush();
  }
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', flush);

  return {
    flush,
    destroy() {
      flush();
      io.disconnect();
      mo.disconnect();
      for (const timer of timers.values()) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
    },
  };
}
