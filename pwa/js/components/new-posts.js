// The "New posts" pill: server-sent events from /api/live while the feed is on screen. The
// stream closes when the app is hidden and opens again when it comes back; the browser
// reconnects on its own after a network error, and we retry after the server refused.
import { t } from '../lib/i18n.js';
import { el } from './dom.js';

const RETRY_MS = 15000;

/** NewPostsPill(holder, {meId, onShow}): returns {destroy}. onShow() loads the new posts. */
export function NewPostsPill(holder, { meId = null, onShow } = {}) {
  const pill = el('button', { type: 'button', class: 'new-posts-pill', hidden: true, onclick: show },
    el('span', { 'aria-hidden': 'true' }, '↑ '), t('live.newPosts'));
  const live = el('div', { class: 'visually-hidden', role: 'status' });
  holder.prepend(pill, live);
  let source = null;
  let retry = null;
  const fresh = new Set();

  function onPost(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!data?.id || data.author_id === meId) return;
    fresh.add(data.id);
    if (pill.hidden) live.textContent = t('live.newPosts');
    pill.hidden = false;
  }

  function open() {
    if (source || document.visibilityState === 'hidden' || !('EventSource' in window)) return;
    source = new EventSource('/api/live', { withCredentials: true });
    source.addEventListener('post', onPost);
    source.addEventListener('error', () => {
      // CONNECTING: the browser retries by itself. CLOSED: the server said no (e.g. 401).
      if (source?.readyState === EventSource.CLOSED) {
        close();
        retry = setTimeout(open, RETRY_MS);
      }
    });
  }

  function close() {
    clearTimeout(retry);
    retry = null;
    source?.close();
    source = null;
  }

  function show() {
    fresh.clear();
    pill.hidden = true;
    live.textContent = '';
    window.scrollTo({ top: 0, behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    onShow?.();
  }

  function onVisibility() {
    if (document.visibilityState === 'hidden') close();
    else open();
  }

  document.addEventListener('visibilitychange', onVisibility);
  open();
  return {
    get connected() { return Boolean(source); },
    destroy() {
      document.removeEventListener('visibilitychange', onVisibility);
      close();
      pill.remove();
      live.remove();
    },
  };
}
