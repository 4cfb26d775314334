// The reaction and comment buttons of a post: Like plus 👏 🎉 💡 from a small picker, counts per
// kind, the viewer's own pressed. A tap changes the count at once and is rolled back if the
// server says no. Who reacted and the comments open in bottom sheets loaded on first use.
import { t } from '../lib/i18n.js';
import { errorMessage } from '../lib/errors.js';
import { KINDS, EMOJI, reactionState, toggleReaction, hasReacted, totalReactions } from '../lib/reactions-model.js';
import { react, unreact } from '../api/social.js';
import { el, clear } from './dom.js';
import { icon } from './icons.js';
import { showToast } from './toast.js';

// The sheets open once their module and stylesheet are in (a moment, the first time only).
const sheets = () => import('./comments-sheet.js').then((m) => m.stylesReady.then(() => m));

/** ReactionBar(post, {onChange(summary)}): <div class="reactions"> with Like, React, Comment. */
export function ReactionBar(post, { onChange, extra = [] } = {}) {
  const root = el('div', { class: 'reactions' });
  let state = reactionState(post);
  let comments = post.comment_count || 0;
  const busy = new Set();
  let picker = null;

  async function tap(kind) {
    if (busy.has(kind)) return;
    const before = state;
    const on = !hasReacted(state, kind);
    state = toggleReaction(state, kind);
    busy.add(kind);
    render();
    try {
      const summary = await (on ? react(post.id, kind) : unreact(post.id, kind));
      state = reactionState(summary);
      onChange?.(summary);
    } catch (err) {
      state = before; // rollback: the server did not take it
      showToast(errorMessage(err, t));
    } finally {
      busy.delete(kind);
      render();
    }
  }

  function closePicker() {
    picker?.remove();
    picker = null;
    reactBtn.setAttribute('aria-expanded', 'false');
  }

  function openPicker() {
    if (picker) return closePicker();
    picker = el('div', { class: 'reaction-picker', role: 'group', 'aria-label': t('post.react') },
      KINDS.filter((k) => k !== 'like').map((kind) => el('button', {
        type: 'button', class: 'emoji-btn', 'aria-pressed': String(hasReacted(state, kind)),
        'aria-label': t(`reaction.${kind}`), title: t(`reaction.${kind}`),
        onclick: () => { closePicker(); tap(kind); reactBtn.focus(); },
        onkeydown: (e) => { if (e.key === 'Escape') { closePicker(); reactBtn.focus(); } },
      }, EMOJI[kind])));
    root.append(picker);
    reactBtn.setAttribute('aria-expanded', 'true');
    picker.querySelector('button').focus();
  }

  const likeBtn = el('button', { type: 'button', class: 'action like', onclick: () => tap('like') });
  const reactBtn = el('button', {
    type: 'button', class: 'action react', 'aria-expanded': 'false', 'aria-haspopup': 'true',
    title: t('post.react'), onclick: openPicker,
  }, el('span', { 'aria-hidden': 'true' }, '☺+'), el('span', { class: 'visually-hidden' }, t('post.react')));
  const chips = el('span', { class: 'reaction-chips' });
  const commentBtn = el('button', { type: 'button', class: 'action comment', onclick: openComments });

  function openComments() {
    sheets().then((m) => m.openComments(post, { onCount(n) { comments = n; render(); } }))
      .catch((err) => showToast(errorMessage(err, t)));
  }

  function render() {
    const liked = hasReacted(state, 'like');
    likeBtn.setAttribute('aria-pressed', String(liked));
    clear(likeBtn).append(icon('like', 20), el('span', { class: 'label' }, t('post.like')),
      state.counts.like ? el('span', { class: 'count' }, ` ${state.counts.like}`) : '');
    clear(chips);
    for (const kind of KINDS.filter((k) => k !== 'like' && state.counts[k])) {
      chips.append(el('button', {
        type: 'button', class: 'chip', 'aria-pressed': String(hasReacted(state, kind)),
        'aria-label': `${t(`reaction.${kind}`)} ${state.counts[kind]}`, onclick: () => tap(kind),
      }, `${EMOJI[kind]} ${state.counts[kind]}`));
    }
    const total = totalReactions(state);
    if (total) {
      chips.append(el('button', {
        type: 'button', class: 'chip who', onclick: () => sheets().then((m) => m.openReactors(post)),
      }, t('post.whoReacted', { n: total })));
    }
    clear(commentBtn).append(icon('comment', 20), el('span', { class: 'label' }, t('post.comment')),
      comments ? el('span', { class: 'count' }, ` ${comments}`) : '');
  }

  render();
  root.append(likeBtn, reactBtn, commentBtn, ...extra, chips);
  return root;
}
