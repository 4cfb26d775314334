// The bodies of video and gallery posts: a blurhash placeholder first, then the poster or
// photo; videos play muted while mostly in view and pause when scrolled away; galleries
// scroll sideways with snap points and dots. Registered into PostCard by registerMediaCards().
import { t } from '../lib/i18n.js';
import { decodeBlurhash } from '../lib/blurhash.js';
import { videoModel, galleryModel } from '../lib/media-model.js';
import { el } from './dom.js';
import { PostBody } from './post-body.js';
import { registerKind } from './post-card.js';

const HASH_PX = 32;
const PLAY_RATIO = 0.6; // "mostly in view"

/** A small canvas painted from the blurhash; CSS stretches it under the real picture. */
export function blurhashCanvas(hash) {
  const pixels = hash ? decodeBlurhash(hash, HASH_PX, HASH_PX) : null;
  if (!pixels) return null;
  const canvas = el('canvas', { class: 'blurhash', width: String(HASH_PX), height: String(HASH_PX), 'aria-hidden': 'true' });
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.putImageData(new ImageData(pixels, HASH_PX, HASH_PX), 0, 0);
  return canvas;
}

let observer = null;

/** One observer for every feed video: play the ones mostly in view, pause the rest. */
function watch(video) {
  if (!('IntersectionObserver' in window)) return;
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const v = entry.target;
      if (entry.intersectionRatio >= PLAY_RATIO && !v.dataset.userPaused) {
        v.play().catch(() => {}); // autoplay refused (e.g. data saver): the poster stays
      } else if (!v.paused) {
        v.pause();
      }
    }
  }, { threshold: [0, PLAY_RATIO, 1] });
  observer.observe(video);
}

function saveData() {
  return Boolean(navigator.connection?.saveData);
}

function renderVideo(post) {
  const text = post.body ? PostBody(post.body) : null;
  const model = post.status === 'published' ? videoModel(post, { saveData: saveData() }) : null;
  if (!model) return [text];
  const video = el('video', {
    class: 'feed-video',
    playsinline: true, 'webkit-playsinline': true, muted: true, loop: true, preload: 'none',
    poster: model.poster, src: model.src, disablepictureinpicture: true,
    'aria-label': model.alt || t('post.video'),
  });
  video.muted = true; // the attribute alone does not mute in every browser; autoplay needs it
  const sound = el('button', {
    type: 'button', class: 'media-btn sound', 'aria-pressed': 'false',
    onclick: () => {
      video.muted = !video.muted;
      sound.setAttribute('aria-pressed', String(!video.muted));
      if (video.paused) video.play().catch(() => {});
    },
  }, t('post.sound'));
  video.addEventListener('click', () => {
    if (video.paused) {
      delete video.dataset.userPaused;
      video.play().catch(() => {});
    } else {
      video.dataset.userPaused = '1'; // a tap to pause wins over scrolling back into view
      video.pause();
    }
  });
  watch(video);
  return [text, el('figure', { class: 'media video-card', style: `aspect-ratio: ${model.aspect}` },
    blurhashCanvas(model.blurhash), video, sound)];
}

function renderGallery(post) {
  const text = post.body ? PostBody(post.body) : null;
  const slides = post.status === 'published' ? galleryModel(post) : [];
  if (!slides.length) return [text];
  const track = el('ul', { class: 'slides', 'aria-label': t('post.photos', { n: slides.length }) },
    slides.map((slide, i) => el('li', { class: 'slide', style: `aspect-ratio: ${slides[0].aspect}` },
      blurhashCanvas(slide.blurhash),
      el('img', {
        src: slide.src, srcset: slide.srcset || null, sizes: '(min-width: 640px) 600px, 100vw',
        alt: slide.alt, loading: i === 0 ? 'eager' : 'lazy', decoding: 'async',
      }))));
  if (slides.length === 1) return [text, el('figure', { class: 'media gallery' }, track)];
  const dots = slides.map((_, i) => el('button', {
    type: 'button', class: 'dot', 'aria-label': t('post.photoOf', { n: i + 1, count: slides.length }),
    onclick: () => track.scrollTo({ left: i * track.clientWidth, behavior: 'smooth' }),
  }));
  const mark = () => {
    const current = Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
    dots.forEach((dot, i) => dot.setAttribute('aria-current', String(i === current)));
  };
  track.addEventListener('scroll', mark, { passive: true });
  mark();
  return [text, el('figure', { class: 'media gallery' }, track, el('div', { class: 'dots' }, dots))];
}

export function registerMediaCards() {
  registerKind('video', renderVideo);
  registerKind('gallery', renderGallery);
}
