// MustRead(article, post): the "Got it" strip of a must-read, and for videos the progress report
// that unlocks it once 80% was watched. Replaces itself with the server's answer.
import { acknowledge, reportProgress } from '../api/announcements.js';
import { mustReadModel } from '../lib/announce-model.js';
import { errorMessage } from '../lib/errors.js';
import { getLanguage } from '../lib/i18n.js';
import { t } from '../lib/announce-strings.js';
import { fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { store } from '../actions/app-state.js';
import { el } from './dom.js';

/** Report the furthest point reached in the card's video, at most every 5 s, and once at the end. */
function watchVideo(article, post, onUnlocked) {
  if (article.dataset.watching) return; // one set of listeners per card
  article.dataset.watching = '1';
  let best = post.watched || 0;
  let sentAt = 0;
  const report = (video, force) => {
    if (!video.duration) return;
    const share = Math.min(1, video.currentTime / video.duration);
    if (share <= best + 0.01 && !force) return;
    best = Math.max(best, share);
    const now = Date.now();
    if (!force && now - sentAt < 5000) return;
    sentAt = now;
    reportProgress(post.id, best).then((r) => { if (r.can_acknowledge) onUnlocked(); }).catch(() => {});
  };
  // The video element arrives with the card's body; listen on the article so a re-render keeps working.
  article.addEventListener('timeupdate', (e) => { if (e.target.tagName === 'VIDEO') report(e.target, false); }, true);
  article.addEventListener('ended', (e) => { if (e.target.tagName === 'VIDEO') report(e.target, true); }, true);
}

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
    return el('div', { class: 'must-read done' }, el('p', { role: 'status' }, t('ann.done')), links);
  }
  const error = el('p', { class: 'form-error', role: 'alert' });
  const button = el('button', {
    type: 'button', class: 'btn primary', disabled: model.state === 'watch',
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
  const hint = model.state === 'watch' ? el('p', { class: 'hint' }, t('ann.watch')) : null;
  // Unlocked in place: re-rendering the card would restart the video being watched.
  if (model.state === 'watch') watchVideo(article, post, () => { button.disabled = false; hint?.remove(); });
  return el('div', { class: 'must-read' }, hint, button, error, links);
}
