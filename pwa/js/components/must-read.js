// MustRead(article, post, onUpdate): the "Got it" strip of a must-read, and for videos the progress
// report that unlocks it once 80% was watched. onUpdate gets the server's answer to repaint with.
// Used by a feed card (components/post-card.js) and a Videos pager slide (components/video-pager.js):
// `article` is whatever element holds the post's <video>.
import { acknowledge, reportProgress } from '../api/announcements.js';
import { mustReadModel, WATCH_SHARE } from '../lib/announce-model.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { store } from '../actions/app-state.js';
import { el } from './dom.js';

/**
 * Report the furthest point reached in the card's video: at once when it passes the 80% that unlocks
 * "Got it", otherwise at most every 5 s (a point held back goes with a later timeupdate: a looping
 * clip never fires "ended"), and once at the end. The server counts no more than the clock allows
 * since the first report (a seek ahead, a faster playback rate): what it did not count is sent
 * again, every 5 s, until it does.
 */
function watchVideo(article, post, onUnlocked) {
  if (article.dataset.watching) return; // one set of listeners per card
  article.dataset.watching = '1';
  let sent = post.watched || 0;
  let best = sent;
  let sentAt = 0;
  let held = false;
  const report = (video, force) => {
    if (!video.duration) return;
    best = Math.max(best, Math.min(1, video.currentTime / video.duration));
    if (best <= sent + (force ? 0 : 0.01)) return;
    const unlocks = !held && sent < WATCH_SHARE && best >= WATCH_SHARE;
    const now = Date.now();
    if (!force && !unlocks && now - sentAt < 5000) return;
    const before = sent;
    const share = best;
    sentAt = now;
    sent = share;
    reportProgress(post.id, share)
      .then((r) => {
        held = r.watched < share - 0.001;
        if (held) sent = Math.min(sent, r.watched);
        if (r.can_acknowledge) onUnlocked();
      })
      .catch(() => { sent = Math.min(sent, before); }); // lost: sent again with the next timeupdate
  };
  // The video element arrives with the card's body; listen on the article so a re-render keeps working.
  article.addEventListener('timeupdate', (e) => { if (e.target.tagName === 'VIDEO') report(e.target, false); }, true);
  article.addEventListener('ended', (e) => { if (e.target.tagName === 'VIDEO') report(e.target, true); }, true);
}

let hints = 0; // ids for aria-describedby: a feed card and a pager slide may both be in the page

export function MustRead(article, post, onUpdate) {
  const me = store.get().me;
  const model = mustReadModel(post, me?.id);
  const links = post.can_see_stats
    ? el('a', { class: 'btn small', href: routeHash('stats', post.id) }, t('ann.stats'))
    : null;
  const scheduled = post.status === 'scheduled' && post.publish_at
    ? el('p', { class: 'note' }, t('ann.scheduled', { date: fullDate(post.publish_at, getLanguage()) }))
    : null;
  if (!model) return scheduled || links ? el('div', { class: 'must-read' }, scheduled, links) : null;
  if (model.state === 'done') {
    // tabindex: the strip that replaces a tapped "Got it" can take its focus.
    return el('div', { class: 'must-read done' }, el('p', { role: 'status', tabindex: '-1' }, t('ann.done')), links);
  }
  const error = el('p', { class: 'form-error', role: 'alert' });
  const hintId = `must-read-hint-${hints += 1}`;
  const hint = model.state === 'watch' ? el('p', { class: 'hint', id: hintId }, t('ann.watch')) : null;
  const button = el('button', {
    type: 'button', class: 'btn primary', disabled: model.state === 'watch', 'aria-describedby': hint ? hintId : null,
    onclick: async () => {
      button.disabled = true;
      try {
        onUpdate(await acknowledge(post.id));
      } catch (err) {
        error.textContent = errorMessage(err, t);
        button.disabled = false;
      }
    },
  }, t('ann.gotIt'));
  // Unlocked in place: re-rendering the card would restart the video being watched.
  if (model.state === 'watch') {
    watchVideo(article, post, () => {
      button.disabled = false;
      button.removeAttribute('aria-describedby');
      hint?.remove();
    });
  }
  return el('div', { class: 'must-read' }, hint, button, error, links);
}
