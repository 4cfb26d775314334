// Comments of a post in a bottom sheet: oldest first, one level of replies, reply, edit and
// delete one's own (moderators delete any), @mention autocomplete, load more. Also the
// "who reacted" sheet. Loaded on first use.
import { listComments, addComment, editComment, deleteComment, listReactors } from '../api/social.js';
import { keyFor } from '../lib/request-key.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { relativeTime, fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { EMOJI } from '../lib/reactions-model.js';
import { linkify } from '../lib/linkify.js';
import { el, clear } from './dom.js';
import { tokenNode } from './post-body.js';
import { openSheet, stylesReady } from './sheet.js';

export { stylesReady };
import { MentionInput } from './mention-input.js';
import { confirmDialog } from './confirm-dialog.js';
import { showToast } from './toast.js';

const MAX_COMMENT = 2000;

function bodyNode(text) {
  const p = el('p', { class: 'comment-body', dir: 'auto' });
  for (const token of linkify(text)) p.append(tokenNode(token));
  return p;
}

function when(iso) {
  const lang = getLanguage();
  return el('time', { datetime: iso, title: fullDate(iso, lang) }, relativeTime(iso, { lang, justNow: t('time.justNow') }));
}

/** openComments(post, {onCount(n)}): the sheet; onCount hears the new number of comments. */
export function openComments(post, { onCount } = {}) {
  let count = post.comment_count || 0;
  let cursor = null;
  let replyTo = null; // the comment being answered
  let sending = null; // {key, payload} of the comment being sent (lib/request-key.js)
  const shown = new Map(); // comment id -> {li, comment}
  const list = el('ul', { class: 'comments', 'aria-label': t('comments.title') });
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load() }, t('comments.more'));

  const textarea = el('textarea', {
    id: `comment-input-${post.id}`, rows: '2', maxlength: String(MAX_COMMENT), required: true,
    placeholder: t('comments.placeholder'), 'aria-label': t('comments.write'),
  });
  const mention = MentionInput(textarea);
  const replyNote = el('p', { class: 'reply-note', hidden: true });
  const error = el('p', { class: 'form-error', role: 'alert' });
  const send = el('button', { type: 'submit', class: 'btn primary' }, t('comments.send'));
  const form = el('form', { class: 'comment-form', onsubmit: submit },
    replyNote, el('div', { class: 'mention-wrap' }, textarea, mention.listbox), error, send);

  const sheet = openSheet({
    title: t('comments.title'),
    body: [list, status, more],
    footer: form,
    onClose: () => mention.destroy(),
  });

  function setCount(n) {
    count = Math.max(0, n);
    onCount?.(count);
  }

  function setReply(comment) {
    replyTo = comment;
    clear(replyNote);
    replyNote.hidden = !comment;
    if (comment) {
      replyNote.append(t('comments.replyingTo', { name: comment.author?.name || '…' }), ' ',
        el('button', { type: 'button', class: 'link-btn', onclick: () => { setReply(null); textarea.focus(); } }, t('comments.cancelReply')));
      textarea.focus();
    }
  }

  async function submit(event) {
    event.preventDefault();
    error.textContent = '';
    const body = textarea.value.trim();
    if (!body) {
      error.textContent = t('comments.empty');
      return;
    }
    send.disabled = true;
    const parentId = replyTo ? (replyTo.parent_id ?? replyTo.id) : null;
    // The same Idempotency-Key while this comment is sent again unchanged: a lost answer never doubles it.
    sending = keyFor(sending, { post: post.id, body, parentId });
    try {
      const comment = await addComment(post.id, body, parentId, sending.key);
      sending = null;
      textarea.value = '';
      setReply(null);
      place(comment, { fresh: true });
      setCount(count + 1);
      status.textContent = '';
    } catch (err) {
      error.textContent = errorMessage(err, t);
    } finally {
      send.disabled = false;
    }
  }

  function place(comment, { fresh = false } = {}) {
    const li = renderComment(comment);
    const old = shown.get(comment.id);
    if (old) {
      if (old.replies) li.querySelector(':scope > .replies')?.append(...old.replies.children); // keep its thread
      old.li.replaceWith(li);
    } else if (comment.parent_id && shown.has(comment.parent_id)) {
      shown.get(comment.parent_id).replies.append(li);
    } else {
      list.append(li);
    }
    shown.set(comment.id, { li, comment, replies: li.querySelector(':scope > .replies') });
    if (fresh) li.scrollIntoView({ block: 'nearest' });
    for (const reply of comment.replies || []) place(reply);
    return li;
  }

  function renderComment(comment) {
    const isReply = Boolean(comment.parent_id);
    const li = el('li', { class: `comment${isReply ? ' reply' : ''}`, 'data-comment-id': comment.id });
    const head = comment.deleted
      ? el('p', { class: 'meta' }, t('comments.deleted'))
      : el('p', { class: 'comment-head' },
        el('a', { class: 'author', href: routeHash('people', comment.author.id) }, comment.author.name),
        el('span', { class: 'meta' }, ' · ', when(comment.created_at), comment.edited ? ` · ${t('comments.edited')}` : ''));
    const tools = el('div', { class: 'comment-tools' },
      comment.deleted ? null : el('button', { type: 'button', class: 'link-btn', onclick: () => setReply(comment) }, t('comments.reply')),
      comment.can_edit ? el('button', { type: 'button', class: 'link-btn', onclick: () => startEdit(li, comment) }, t('comments.edit')) : null,
      comment.can_delete ? el('button', { type: 'button', class: 'link-btn', onclick: () => remove(comment) }, t('comments.delete')) : null);
    li.append(head, comment.deleted ? null : bodyNode(comment.body), tools);
    if (!isReply) {
      const replies = el('ul', { class: 'replies', 'aria-label': t('comments.replies') });
      li.append(replies);
      const missing = (comment.reply_count || 0) - (comment.replies || []).length;
      if (missing > 0) {
        li.append(el('button', { type: 'button', class: 'link-btn', onclick: (e) => moreReplies(comment, e.currentTarget) },
          t('comments.moreReplies', { n: missing })));
      }
    }
    return li;
  }

  async function moreReplies(comment, button) {
    button.disabled = true;
    try {
      let next = null;
      do {
        const page = await listComments(post.id, { parent: comment.id, cursor: next });
        for (const reply of page.items || []) if (!shown.has(reply.id)) place(reply);
        next = page.next_cursor;
      } while (next);
      button.remove();
    } catch (err) {
      button.disabled = false;
      showToast(errorMessage(err, t));
    }
  }

  function startEdit(li, comment) {
    const area = el('textarea', { rows: '2', maxlength: String(MAX_COMMENT), 'aria-label': t('comments.editLabel'), value: comment.body });
    const editMention = MentionInput(area);
    const alert = el('p', { class: 'form-error', role: 'alert' });
    const form = el('form', {
      class: 'comment-edit',
      async onsubmit(event) {
        event.preventDefault();
        try {
          const updated = await editComment(comment.id, area.value);
          editMention.destroy();
          place({ ...updated, replies: [] });
          shown.get(updated.id).li.querySelector('button')?.focus();
        } catch (err) {
          alert.textContent = errorMessage(err, t);
        }
      },
    }, el('div', { class: 'mention-wrap' }, area, editMention.listbox), alert,
    el('div', { class: 'dialog-actions' },
      el('button', { type: 'button', class: 'btn', onclick: () => { editMention.destroy(); place({ ...comment, replies: [] }); } }, t('comments.cancel')),
      el('button', { type: 'submit', class: 'btn primary' }, t('comments.save'))));
    const body = li.querySelector(':scope > .comment-body');
    const tools = li.querySelector(':scope > .comment-tools');
    body?.replaceWith(form);
    tools?.remove();
    area.focus();
  }

  async function remove(comment) {
    const ok = await confirmDialog({ message: t('comments.confirmDelete'), confirm: t('comments.delete'), cancel: t('comments.cancel') });
    if (!ok) return;
    try {
      await deleteComment(comment.id);
      const entry = shown.get(comment.id);
      const hasReplies = entry?.replies?.children.length;
      if (hasReplies) {
        place({ ...comment, deleted: true, author: null, body: '', can_edit: false, can_delete: false, replies: [] });
      } else {
        entry?.li.remove();
        shown.delete(comment.id);
      }
      setCount(count - 1);
      showToast(t('comments.deletedToast'));
    } catch (err) {
      showToast(errorMessage(err, t));
    }
  }

  async function load() {
    more.hidden = true;
    status.textContent = t('feed.loading');
    try {
      const page = await listComments(post.id, { cursor });
      for (const comment of page.items || []) place(comment);
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      status.textContent = shown.size ? '' : t('comments.none');
    } catch (err) {
      status.textContent = errorMessage(err, t);
      more.hidden = false;
    }
  }

  load();
  textarea.focus();
  return sheet;
}

/** The "who reacted" sheet: counts per kind and the people, newest first. */
export function openReactors(post) {
  const list = el('ul', { class: 'people reactors' });
  const status = el('p', { class: 'list-status', 'aria-live': 'polite' }, t('feed.loading'));
  const more = el('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load() }, t('comments.more'));
  let cursor = null;
  const sheet = openSheet({ title: t('reactors.title'), body: [list, status, more] });
  async function load() {
    more.hidden = true;
    try {
      const page = await listReactors(post.id, { cursor });
      for (const item of page.items || []) {
        list.append(el('li', {},
          el('span', { class: 'reactor-kind', 'aria-label': t(`reaction.${item.kind}`), role: 'img' }, EMOJI[item.kind] || ''),
          ' ', el('a', { href: routeHash('people', item.person.id), onclick: () => sheet.close() }, item.person.name),
          item.person.department ? el('span', { class: 'meta' }, ` · ${item.person.department}`) : null));
      }
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      status.textContent = list.children.length ? '' : t('reactors.none');
    } catch (err) {
      status.textContent = errorMessage(err, t);
    }
  }
  load();
  return sheet;
}
