// PostCard(article, post, ctx): renders one post into its <article>. Data flows down;
// intents (share, pin, delete) bubble up as "post-action" CustomEvents for the list to run.
// The body of a post is rendered by its kind, so video and gallery views slot in later
// through registerKind().
import { t, getLanguage } from '../lib/i18n.js';
import { relativeTime, fullDate, shortDate } from '../lib/relative-time.js';
import { initials, hueFor } from '../lib/avatar.js';
import { routeHash } from '../lib/router.js';
import { el, clear } from './dom.js';
import { icon } from './icons.js';
import { PostBody } from './post-body.js';
import { showToast } from './toast.js';

function renderText(post) {
  return post.body ? PostBody(post.body) : null;
}

function renderMediaSoon(post) {
  return [renderText(post), el('p', { class: 'note' }, t('post.mediaSoon'))];
}

const KIND_RENDERERS = new Map([
  ['text', renderText],
  ['video', renderMediaSoon],
  ['gallery', renderMediaSoon],
]);

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

function statusNote(post) {
  if (post.status === 'processing') return el('p', { class: 'note' }, t('post.processing'));
  if (post.status === 'failed') {
    return el('p', { class: 'note error' }, t('post.failed', { error: post.error || '' }));
  }
  return null;
}

function actionButton(name, label, { onclick, soon = false, iconOnly = false, extraClass = '' }) {
  return el('button', {
    type: 'button',
    class: `action ${extraClass}`.trim(),
    'aria-disabled': soon ? 'true' : null,
    title: soon ? t('post.soon') : (iconOnly ? label : null),
    onclick,
  }, icon(name, 20), el('span', { class: iconOnly ? 'visually-hidden' : 'label' }, label));
}

function intent(article, action, post) {
  return () => article.dispatchEvent(
    new CustomEvent('post-action', { bubbles: true, detail: { action, post } }));
}

/** Pin/Unpin and Delete sit in the header, where only those allowed to see them do. */
function tools(article, post) {
  const items = [
    post.can_pin
      ? actionButton('pin', t(post.pinned ? 'post.unpin' : 'post.pin'), {
        onclick: intent(article, 'pin', post), iconOnly: true, extraClass: post.pinned ? 'on' : '',
      })
      : null,
    post.can_delete
      ? actionButton('trash', t('post.delete'), { onclick: intent(article, 'delete', post), iconOnly: true })
      : null,
  ].filter(Boolean);
  return items.length ? el('div', { class: 'post-tools' }, items) : null;
}

function actions(article, post) {
  const soon = () => showToast(t('post.soon'));
  return el('footer', { class: 'post-actions' },
    actionButton('like', t('post.like'), { onclick: soon, soon: true }),
    actionButton('comment', t('post.comment'), { onclick: soon, soon: true }),
    actionButton('share', t('post.share'), { onclick: intent(article, 'share', post) }));
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
      statusNote(current),
      actions(article, current),
    ].flat().filter(Boolean));
  }
  render(post);
  return { update: render };
}
