// VideoPager(root, opts): full-height slides in a vertical scroll-snap pager. Only the visible
// clip and its neighbours hold a <video> (recycled from a pool of three); a slide that leaves
// that window gives its element back with src removed and load() called, so the decoder is
// freed. Each slide paints its blurhash, then the poster; the visible clip plays muted (unless
// the viewer turned sound on, or prefers reduced motion); tap pauses, double tap likes.
// Each slide keeps a play clock: when the clip is left (or report() is called) onLeave gets the
// seconds it really played since the last report, and the share of the clip its element covered.
// A must-read clip carries its "Got it" (components/must-read.js, loaded with the first such clip).
import { t, formatNumber } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { playClock, playedSeconds } from '../lib/view-queue.js';
import { liveWindow, preloadFor, clipSource, indexAt, likeState } from '../lib/pager-model.js';
import { http } from '../api/http.js';
import { el } from './dom.js';
import { icon } from './icons.js';
import { blurhashCanvas } from './media-cards.js';

const DOUBLE_TAP_MS = 300;
const HYDRATE_RADIUS = 2; // blurhash and poster for slides this close to the visible one

/**
 * opts: {label, autoplay, sound: {get, set}, onActive(index, post), onLeave(post, {seconds, duration, share}),
 *        onNear(index), onError(err)}
 * Returns {append(posts), scrollTo(index), setSound(on), report(), destroy()}.
 */
export function VideoPager(root, { label, autoplay, sound, onActive, onLeave, onNear, onError }) {
  // role=feed once it holds articles: an empty feed is an ARIA error.
  const pager = el('div', { class: 'pager', 'aria-busy': 'false', tabindex: '-1' });
  root.append(pager);
  const slides = []; // {post, node, video, hydrated, userPaused, clock, parts}
  const pool = [];
  let active = -1;
  let frame = 0;

  function slideFor(video) {
    return slides.find((s) => s.video === video);
  }

  function newVideo() {
    const video = el('video', { class: 'clip-video', playsinline: true, 'webkit-playsinline': true, muted: true, loop: true, disablepictureinpicture: true });
    video.muted = true; // autoplay needs the property, not only the attribute
    video.addEventListener('timeupdate', () => {
      const s = slideFor(video);
      if (!s) return;
      s.clock.tick(video.currentTime, video.duration, performance.now());
      if (video.duration) s.parts.bar.style.transform = `scaleX(${video.currentTime / video.duration})`;
    });
    for (const type of ['play', 'pause', 'playing']) {
      video.addEventListener(type, () => { const s = slideFor(video); if (s) paintState(s); });
    }
    return video;
  }

  function attach(s) {
    if (s.video) return;
    const model = s.post.media?.[0] || {};
    const source = clipSource(model, navigator.connection);
    if (!source) return;
    const video = pool.pop() || newVideo();
    video.muted = !sound.get();
    video.poster = model.poster || '';
    video.setAttribute('aria-label', model.alt || t('post.video'));
    video.preload = 'metadata';
    video.src = source.url;
    s.clock.mark(0, performance.now()); // a new source starts at 0: no step from where the last one was
    s.video = video;
    s.parts.stage.append(video);
  }

  /** Give the element back to the pool without a source, so the browser drops its decoder. */
  function release(s) {
    const { video } = s;
    if (!video) return;
    s.video = null;
    video.pause();
    video.removeAttribute('src');
    video.removeAttribute('poster');
    video.load();
    video.remove();
    s.parts.bar.style.transform = 'scaleX(0)';
    pool.push(video);
    paintState(s);
  }

  function hydrate(s) {
    if (s.hydrated) return;
    s.hydrated = true;
    const model = s.post.media?.[0] || {};
    const hash = blurhashCanvas(model.blurhash);
    const poster = model.poster ? el('img', { class: 'clip-poster', src: model.poster, alt: '', decoding: 'async' }) : null;
    s.parts.stage.prepend(...[hash, poster].filter(Boolean));
  }

  function paintState(s) {
    const playing = Boolean(s.video && !s.video.paused);
    s.node.classList.toggle('is-playing', playing);
    const button = s.parts.play;
    button.setAttribute('aria-label', t(playing ? 'videos.pause' : 'videos.play'));
    button.replaceChildren(icon(playing ? 'pause' : 'play', 40));
  }

  function play(s) {
    if (!s.video) return;
    s.video.muted = !sound.get();
    s.video.play().catch((err) => {
      // Refused with sound (no user gesture yet): play muted instead of not at all.
      if (err?.name === 'NotAllowedError' && !s.video?.muted) {
        s.video.muted = true;
        s.video.play().catch(() => paintState(s));
      } else if (s.video) paintState(s);
    });
  }

  /** Live <video> for the window around the visible clip, hydrated slides around it, the rest released. */
  function updateWindow() {
    const live = new Set(liveWindow(active, slides.length));
    slides.forEach((s, i) => {
      if (Math.abs(i - active) <= HYDRATE_RADIUS) hydrate(s);
      if (!live.has(i)) release(s);
    });
    for (const i of live) {
      const s = slides[i];
      attach(s);
      if (!s.video) continue;
      s.video.preload = preloadFor(i, active);
      if (i !== active) s.video.pause();
    }
  }

  /** Tell onLeave what the slide played since the last report (before its element may be released). */
  function report(s) {
    if (!s) return;
    const { video } = s;
    const duration = video?.duration || s.post.media?.[0]?.duration || 0;
    if (video) s.clock.tick(video.currentTime, video.duration, performance.now());
    const share = video?.duration ? Math.min(1, playedSeconds(video.played) / video.duration) : 0;
    onLeave?.(s.post, { seconds: s.clock.take(), duration, share });
  }

  function setActive(index) {
    if (index === active || index < 0 || index >= slides.length) return;
    report(slides[active]);
    slides[active]?.node.removeAttribute('data-active');
    active = index;
    updateWindow();
    const current = slides[index];
    current.node.setAttribute('data-active', '');
    current.userPaused = false;
    if (autoplay) play(current);
    else paintState(current);
    onActive?.(index, current.post);
    if (index >= slides.length - 3) onNear?.(index);
  }

  // While a key or a restore scrolls the pager, the slides it passes are not "visible".
  let target = null;
  let targetTimer = 0;

  function onScroll() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const index = indexAt(pager.scrollTop, pager.clientHeight, slides.length);
      if (target !== null) {
        if (index === target) target = null;
        return;
      }
      setActive(index);
    });
  }
  pager.addEventListener('scroll', onScroll, { passive: true });

  function togglePlay(s) {
    if (!s.video) return;
    if (s.video.paused) {
      s.userPaused = false;
      play(s);
    } else {
      s.userPaused = true;
      s.video.pause();
    }
  }

  async function like(s, { only = false } = {}) {
    const state = likeState(s.post);
    burst(s);
    if (!state || (only && state.mine)) return; // no reactions on this server yet: the heart only
    const on = !state.mine;
    const path = `/api/posts/${encodeURIComponent(s.post.id)}/reactions/like`;
    try {
      const summary = on ? await http().put(path, {}) : await http().del(path);
      Object.assign(s.post, { reactions: summary.reactions, my_reactions: summary.my_reactions });
      paintLike(s);
    } catch (err) {
      onError?.(err);
    }
  }

  function burst(s) {
    const heart = el('span', { class: 'clip-heart', 'aria-hidden': 'true' }, icon('like', 96));
    heart.addEventListener('animationend', () => heart.remove());
    s.parts.stage.append(heart);
    setTimeout(() => heart.remove(), 1200); // reduced motion: no animationend
  }

  function paintLike(s) {
    const state = likeState(s.post);
    const button = s.parts.like;
    if (!state || !button) return;
    button.setAttribute('aria-pressed', String(state.mine));
    button.querySelector('.clip-count').textContent = formatNumber(state.count);
  }

  function sideButton(name, text, count, props) {
    return el(props.href ? 'a' : 'button', { class: 'clip-action', ...props },
      icon(name, 28), el('span', { class: 'visually-hidden' }, text), el('span', { class: 'clip-count', 'aria-hidden': 'true' }, count));
  }

  /** The must-read strip of a slide, repainted in place with the server's answer to "Got it". */
  function mustRead(s) {
    if (!s.post.must_read || !s.post.announcement) return null;
    let strip = el('div', { class: 'must-read-slot' });
    import('./must-read.js').then(({ MustRead }) => {
      const paint = (answer) => {
        if (answer) Object.assign(s.post, answer);
        const next = MustRead(s.node, s.post, paint) || el('div', { class: 'must-read-slot', hidden: true });
        strip.replaceWith(next);
        strip = next;
        // The tapped button is gone: its focus goes to the "Confirmed" line that took its place.
        if (answer) next.querySelector('[tabindex="-1"]')?.focus();
      };
      paint(null);
    }).catch(() => strip.remove());
    return strip;
  }

  function build(post) {
    const s = { post, video: null, hydrated: false, userPaused: false, clock: playClock() };
    const author = post.author || {};
    const stage = el('div', { class: 'clip-stage' });
    const bar = el('span');
    const play = el('button', { type: 'button', class: 'clip-play', onclick: (e) => { e.stopPropagation(); togglePlay(s); } });
    const state = likeState(post);
    const likeButton = state ? sideButton('like', t('post.like'), formatNumber(state.count), {
      type: 'button', 'aria-pressed': String(state.mine), onclick: (e) => { e.stopPropagation(); like(s); },
    }) : null;
    const comments = typeof post.comment_count === 'number'
      ? sideButton('comment', t('post.comment'), formatNumber(post.comment_count), { href: routeHash('post', post.id) })
      : null;
    const model = post.media?.[0] || {};
    const node = el('article', {
      class: 'clip', 'aria-label': t('videos.by', { name: author.name || '—' }), 'data-post-id': String(post.id),
      style: model.width && model.height ? `--clip-ratio: ${model.width / model.height}` : null,
    },
    stage, play,
    el('div', { class: 'clip-info' },
      el('a', { class: 'clip-author', href: routeHash('people', author.id) }, author.name || '—'),
      post.body ? el('p', { class: 'clip-caption', text: post.body }) : null,
      mustRead(s)),
    likeButton || comments ? el('div', { class: 'clip-side' }, likeButton, comments) : null,
    el('div', { class: 'clip-progress', 'aria-hidden': 'true' }, bar));
    s.node = node;
    s.parts = { stage, bar, play, like: likeButton };
    paintState(s);

    // One tap pauses or plays; a second tap within 300 ms makes it a double tap: like.
    let tapTimer = null;
    stage.addEventListener('click', () => {
      if (tapTimer) {
        clearTimeout(tapTimer);
        tapTimer = null;
        like(s, { only: true });
        return;
      }
      tapTimer = setTimeout(() => { tapTimer = null; togglePlay(s); }, DOUBLE_TAP_MS);
    });
    return s;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest?.('input, textarea, select')) return;
    const step = { ArrowDown: 1, PageDown: 1, j: 1, ArrowUp: -1, PageUp: -1, k: -1 }[event.key];
    if (step) {
      event.preventDefault();
      scrollTo(Math.max(0, Math.min(slides.length - 1, active + step)), true);
    } else if (event.key === ' ' && !event.target.closest?.('button, a')) {
      event.preventDefault();
      if (slides[active]) togglePlay(slides[active]);
    }
  }
  document.addEventListener('keydown', onKey);

  function scrollTo(index, smooth = false) {
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
    target = index;
    clearTimeout(targetTimer);
    targetTimer = setTimeout(() => { target = null; onScroll(); }, 1000); // a finger took over
    pager.scrollTo({ top: index * pager.clientHeight, behavior: smooth && !reduce ? 'smooth' : 'instant' });
    setActive(index);
  }

  return {
    append(posts) {
      const fresh = posts.map(build);
      slides.push(...fresh);
      pager.append(...fresh.map((s) => s.node));
      if (slides.length) {
        pager.setAttribute('role', 'feed');
        pager.setAttribute('aria-label', label);
      }
      if (active < 0) setActive(0);
      else updateWindow(); // the new slides may fall inside the window of the visible clip
    },
    scrollTo,
    setBusy: (busy) => pager.setAttribute('aria-busy', String(busy)),
    setSound(on) {
      for (const s of slides) if (s.video) s.video.muted = !on;
      const s = slides[active];
      if (on && s?.video?.paused && !s.userPaused && autoplay) play(s);
    },
    count: () => slides.length,
    /** The visible clip's watch time so far (the app goes to the background). */
    report: () => report(slides[active]),
    destroy() {
      report(slides[active]);
      document.removeEventListener('keydown', onKey);
      cancelAnimationFrame(frame);
      clearTimeout(targetTimer);
      for (const s of slides) release(s);
      pool.length = 0;
    },
  };
}
