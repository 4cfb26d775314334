// FeedList(el, {query}): an infinite list of PostCards. It loads pages as a sentinel near
// the bottom comes into view and runs the intents its cards bubble up.
import { getFeed, getPost } from '../api/posts.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el, clear } from './dom.js';
import { PostCard } from './post-card.js';
import { handlePostAction } from './post-actions.js';

const POLL_MS = 3000; // how often the author's processing posts are checked

const FIRST_BATCH = 3; // cards that fill a phone's first screen
const BATCH = 4;
const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

export function FeedList(root, { query = {}, load = getFeed, label = t('feed.title'), empty = t('feed.empty'), highlight = null, emptyWrite = true } = {}) {
  const list = el('div', { class: 'post-list', role: 'feed', 'aria-label': label, 'aria-busy': 'false' });
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' });
  const sentinel = el('div', { class: 'sentinel', 'aria-hidden': 'true' });
  clear(root).append(list, status, sentinel);

  const cards = new Map(); // post id -> {article, card}
  let cursor = null;
  let done = false;
  let loading = false;
  let generation = 0; // a refresh makes responses of older loads stale

  function setStatus(text, { retry = false, write = false } = {}) {
    // A feed role with no article in it is an ARIA error (axe: aria-required-children).
    if (cards.size) {
      list.setAttribute('role', 'feed');
      list.setAttribute('aria-label', label);
    } else {
      list.removeAttribute('role');
      list.removeAttribute('aria-label');
    }
    clear(status);
    if (text) status.append(el('p', {}, text));
    if (retry) status.append(el('button', { type: 'button', class: 'btn', onclick: () => loadNext() }, t('feed.retry')));
    if (write) status.append(el('a', { class: 'btn primary', href: routeHash('new') }, t('feed.write')));
  }

  // The author's processing posts are polled until the worker has published or failed them.
  const processing = new Set();
  let pollTimer = null;

  function track(post) {
    if (post.status === 'processing') processing.add(post.id);
    else processing.delete(post.id);
    if (processing.size && !pollTimer) pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    pollTimer = null;
    const mine = generation;
    for (const id of [...processing]) {
      try {
        const post = await getPost(id);
        if (mine !== generation) return;
        if (post.status !== 'processing') addPost(post);
      } catch (err) {
        if (mine !== generation) return;
        if (err.status === 404) removeCard(id);
      }
    }
    if (!pollTimer && processing.size && mine === generation) pollTimer = setTimeout(poll, POLL_MS);
  }

  function removeCard(id) {
    cards.get(id)?.article.remove();
    cards.delete(id);
    processing.delete(id);
  }

  function addPost(post, { first = false } = {}) {
    track(post);
    if (cards.has(post.id)) {
      cards.get(post.id).card.update(post);
      return;
    }
    const article = el('article');
    const card = PostCard(article, post);
    cards.set(post.id, { article, card });
    if (first) list.prepend(article);
    else list.append(article);
  }

  async function loadPage({ reset = false } = {}) {
    const mine = reset ? ++generation : generation;
    loading = true;
    list.setAttribute('aria-busy', 'true');
    if (!cards.size || !reset) setStatus(t('feed.loading'));
    try {
      const page = await load({ ...query, cursor: reset ? null : cursor });
      if (mine !== generation) return;
      if (reset) {
        cards.clear();
        clear(list);
      }
      // The first screenful renders at once; the rest in small tasks, so the phone paints it and
      // stays responsive instead of building a whole page of cards in one long task.
      const items = page.items || [];
      for (let i = 0; i < items.length; i += 1) {
        if (i >= FIRST_BATCH && (i - FIRST_BATCH) % BATCH === 0) {
          if (i === FIRST_BATCH) setStatus(''); // no "Loading…" below the cards to push down (layout shift)
          await nextTask();
          if (mine !== generation) return;
        }
        addPost(items[i]);
      }
      cursor = page.next_cursor || null;
      done = !cursor;
      if (highlight && !cards.has(highlight.id) && reset) addPost(highlight, { first: true });
      if (!done) setStatus('');
      else if (cards.size) setStatus(t('feed.end'));
      else setStatus(empty, { write: emptyWrite });
    } catch (err) {
      if (mine !== generation) return;
      setStatus(errorMessage(err, t), { retry: true });
      done = false;
      return;
    } finally {
      if (mine === generation) {
        loading = false;
        list.setAttribute('aria-busy', 'false');
      }
    }
    if (highlight && reset) {
      const entry = cards.get(highlight.id);
      highlight = null;
      if (entry) {
        entry.article.classList.add('fresh');
        entry.article.scrollIntoView({ block: 'nearest' });
      }
    }
    // Re-observing fires the callback again if the sentinel is still in view (short pages).
    if (!done && observer) {
      observer.unobserve(sentinel);
      observer.observe(sentinel);
    }
  }

  function loadNext() {
    if (loading || done) return;
    loadPage();
  }

  let observer = null;
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadNext();
    }, { rootMargin: '0px 0px 800px 0px' });
  }

  function onAction(event) {
    handlePostAction(event.detail, {
      pinned: () => loadPage({ reset: true }), // the server decides the order: pinned first
      retried: (updated) => addPost(updated),
      changed: (updated) => addPost(updated),
      deleted(post) {
        removeCard(post.id);
        if (!cards.size && done) setStatus(empty, { write: emptyWrite });
      },
    });
  }
  root.addEventListener('post-action', onAction);

  loadPage({ reset: true }).then(() => observer?.observe(sentinel));

  return {
    refresh: () => loadPage({ reset: true }),
    destroy() {
      generation += 1;
      clearTimeout(pollTimer);
      pollTimer = null;
      observer?.disconnect();
      root.removeEventListener('post-action', onAction);
    },
  };
}
