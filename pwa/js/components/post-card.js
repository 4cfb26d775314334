// PostCard(article, post, ctx): renders one post into its <article>. Data flows down;
// intents (share, kudos, pin, delete) bubble up as "post-action" CustomEvents for the list to run.
// The body of a post is rendered by its kind; video and gallery bodies register through
// registerKind() (components/media-cards.js).
import { t, getLanguage } from '../lib/i18n.js';
import { relativeTime, fullDate, shortDate } from '../lib/relative-time.js';
import { initials, hueFor } from '../lib/avatar.js';
import { routeHash } from '../lib/router.js';
import { statusModel } from '../lib/media-model.js';
import { store } from '../actions/app-state.js';
import { el, clear } from './dom.js';
import { icon } from './icons.js';
import { PostBody } from './post-body.js';
import { ReactionBar } from './reactions.js';

function renderText(post) {
  return post.body ? PostBody(post.body) : null;
}

// Video and gallery bodies come from components/media-cards.js (registerMediaCards in main.js).
const KIND_RENDERERS = new Map([['text', renderText]]);

/** Let a later feature render a kind of post: registerKind('video', (post) => nodes). */
export function registerKind(kind, render) {
  KIND_RENDERERS.set(kind, render);
}

function header(article, post) {
  const author = post.author || {};
  const profile = routeHash('people', author.id);
  const lang = getLanguage();
  const meta = [author.title, author.department].filter(Boolean).join(' · ');
  const time = el('time', { datetime: post.created_at, title: fullDate(post.created_at, lang) },
    relativeTime(post.created_at, { lang, justNow: t('time.justNow') }));
  return el('header', { class: 'post-head' },
    el('a', {
      class: 'avatar', href: profile, tabindex: '-1', 'aria-hidden': 'true',
      style: `--hue: ${hueFor(author.id)}`,
    }, initials(author.name)),
    el('div', { class: 'who' },
      el('a', { class: 'author', href: profile }, author.name || '—'),
      el('span', { class: 'meta' }, meta ? `${meta} · ` : '', time)),
    tools(article, post));
}

function badges(post) {
  const items = [];
  if (post.pinned) {
    const until = post.pinned_until
      ? el('span', { class: 'visually-hidden' }, ` (${t('post.pinnedUntil', { date: shortDate(post.pinned_until, { lang: getLanguage() }) })})`)
      : null;
    items.push(el('span', { class: 'badge pinned' }, icon('pin', 14), t('post.pinned'), until));
  }
  if (post.must_read) items.push(el('span', { class: 'badge must-read' }, t('post.mustRead')));
  return items.length ? el('div', { class: 'badges' }, items) : null;
}

/** "Kudos to Ann, Ben": the colleagues the post thanks, each linked to their profile. */
function kudosLine(post) {
  const people = post.kudos || [];
  if (!people.length) return null;
  const links = people.flatMap((person, i) => [
    i ? ', ' : '', el('a', { href: routeHash('people', person.id) }, person.name || '—')]);
  return el('p', { class: 'kudos-line' }, icon('kudos', 16), `${t('post.kudosTo')} `, links);
}

/** Processing and failed posts (only their author sees them): what happened and what to do. */
function statusNote(article, post) {
  const model = statusModel(post, store.get().me?.id);
  if (!model) return null;
  if (model.state === 'processing') {
    return el('p', { class: 'note processing', role: 'status' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), t(model.key));
  }
  const buttons = [
    model.canRetry ? el('button', { type: 'button', class: 'btn small', onclick: intent(article, 'retry', post) }, t('post.retry')) : null,
    model.canDelete ? el('button', { type: 'button', class: 'btn small', onclick: intent(article, 'delete', post) }, t('post.delete')) : null,
  ].filter(Boolean);
  return el('div', { class: 'note error' },
    el('p', {}, t(model.key, { error: model.error })),
    buttons.length ? el('div', { class: 'note-actions' }, buttons) : null);
}

function actionButton(name, label, { onclick, iconOnly = false, extraClass = '' }) {
  return el('button', {
    type: 'button',
    class: `action ${extraClass}`.trim(),
    title: iconOnly ? label : null,
    onclick,
  }, icon(name, 20), el('span', { class: iconOnly ? 'visually-hidden' : 'label' }, label));
}

function intent(article, action, post) {
  return () => article.dispatchEvent(
    new CustomEvent('post-action', { bubbles: true, detail: { action, post } }));
}

/**
 * Kudos (the author's), Pin/Unpin and Delete sit in the header, where only those allowed to see them do.
 * A failed post offers Delete next to Retry in its error note (as a chat app does beside a message
 * that did not send), so the header does not offer it a second time.
 */
function tools(article, post) {
  const mine = post.author?.id != null && post.author.id === store.get().me?.id;
  const failed = post.status === 'failed';
  const items = [
    mine && !failed
      ? actionButton('kudos', t('post.kudos'), { onclick: intent(article, 'kudos', post), iconOnly: true })
      : null,
    post.can_pin
      ? actionButton('pin', t(post.pinned ? 'post.unpin' : 'post.pin'), {
        onclick: intent(article, 'pin', post), iconOnly: true, extraClass: post.pinned ? 'on' : '',
      })
      : null,
    post.can_delete && !failed
      ? actionButton('trash', t('post.delete'), { onclick: intent(article, 'delete', post), iconOnly: true })
      : null,
  ].filter(Boolean);
  return items.length ? el('div', { class: 'post-tools' }, items) : null;
}

function actions(article, post) {
  // Reactions and comments only exist on published posts.
  const share = actionButton('share', t('post.share'), { onclick: intent(article, 'share', post) });
  if (post.status && post.status !== 'published') return el('footer', { class: 'post-actions' }, share);
  return el('footer', { class: 'post-actions' }, ReactionBar(post, {
    extra: [share],
    onChange(summary) { Object.assign(post, { reactions: summary.reactions, my_reactions: summary.my_reactions }); },
  }));
}

/** Must-read "Got it", schedule and stats link: loaded only for announcements (kept out of the first load). */
function announcement(article, post, render) {
  if (!post.announcement && post.status !== 'scheduled') return null;
  const slot = el('div', { class: 'must-read-slot' });
  import('./must-read.js').then((m) => {
    const node = m.MustRead(article, post, render);
    if (node) slot.replaceWith(node);
    else slot.remove();
  }).catch(() => slot.remove());
  return slot;
}

export function PostCard(article, post) {
  function render(current) {
    article.className = `post kind-${current.kind || 'text'}${current.pinned ? ' is-pinned' : ''}`;
    article.dataset.postId = current.id;
    const renderKind = KIND_RENDERERS.get(current.kind) || renderText;
    clear(article).append(...[
      badges(current),
      header(article, current),
      renderKind(current),
      kudosLine(current),
      statusNote(article, current),
      announcement(article, current, render),
      actions(article, current),
    ].flat().filter(Boolean));
  }
  render(post);
  return { update: render };
}
