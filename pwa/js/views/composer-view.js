// Composer: "Message" with a counter, photos or a video from the camera or the library with
// previews, alt text, order and a progress bar each, colleagues to thank (kudos); "Post" once
// every upload has finished.
// The draft (text and files) lives in IndexedDB via actions/composer.js.
import * as composer from '../actions/composer.js';
import { composerState, MAX_POST_LENGTH } from '../lib/compose.js';
import { errorMessage } from '../lib/errors.js';
import { t, formatNumber } from '../lib/i18n.js';
import { routeHash, routeQuery } from '../lib/router.js';
import { MAX_PHOTOS } from '../lib/upload-queue.js';
import { store } from '../actions/app-state.js';
import { setKudos } from '../api/social.js';
import { el, field, nextId } from '../components/dom.js';
import { AttachmentList } from '../components/attachment-list.js';
import { PeoplePicker } from '../components/people-picker.js';
import { socialStyles } from '../components/lazy-styles.js';
import { showToast } from '../components/toast.js';

function fileButton({ label, multiple, capture, onfiles }) {
  const id = nextId('file');
  const input = el('input', {
    id, type: 'file', class: 'file-input', accept: 'image/*,video/*', multiple, capture,
    onchange: () => {
      if (input.files?.length) onfiles([...input.files]); // a copy: clearing the input empties its FileList
      input.value = ''; // the same file can be picked again after removing it
    },
  });
  return el('span', { class: 'file-pick' }, input, el('label', { for: id, class: 'btn' }, label));
}

export function ComposerView(main, ctx) {
  ctx.setTitle(t('compose.title'));
  const counterId = nextId('counter');
  const message = field({
    label: t('compose.message'), tag: 'textarea', name: 'body', rows: '5',
    placeholder: t('compose.placeholder'), 'aria-describedby': counterId,
  });
  const counter = el('p', { class: 'counter', id: counterId });
  const pickError = (files) => composer.addFiles(files).catch((err) => { alert.textContent = errorMessage(err, t); });
  const media = el('div', { class: 'field media-field', role: 'group', 'aria-label': t('compose.mediaGroup') },
    el('div', { class: 'file-picks' },
      fileButton({ label: t('compose.camera'), capture: 'environment', onfiles: pickError }),
      fileButton({ label: t('compose.media'), multiple: true, onfiles: pickError })),
    el('p', { class: 'hint' }, t('compose.mediaHint', { max: MAX_PHOTOS })));
  const listHolder = el('div');
  const attachments = AttachmentList(listHolder, {
    fileOf: composer.fileOf,
    onMove: composer.moveFile,
    onRemove: (key) => { composer.removeFile(key); },
    onAlt: composer.setAlt,
    onRetry: composer.retryFile,
  });
  socialStyles();
  const thanks = PeoplePicker({ label: t('compose.thank'), hint: t('compose.thankHint'), exclude: store.get().me?.id ?? null });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const hint = el('p', { class: 'hint post-hint', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('compose.submit'));
  let busy = false;

  function render(state) {
    const text = composerState(message.input.value, MAX_POST_LENGTH);
    counter.textContent = text.over
      ? t('compose.tooLong', { n: text.over })
      : t('compose.counter', { count: formatNumber(text.count), max: formatNumber(text.max) });
    counter.classList.toggle('over', text.over > 0);
    attachments.update(state.queue);
    if (state.error) {
      alert.textContent = state.error.key ? t(state.error.key, state.error.params) : errorMessage(state.error, t);
    }
    hint.textContent = state.post.reason ? t(state.post.reason) : '';
    submit.disabled = busy || !state.post.ready;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy || !composer.snapshot().post.ready) return;
    alert.textContent = '';
    busy = true;
    submit.textContent = t('compose.busy');
    render(composer.snapshot());
    try {
      const post = await composer.submit();
      const thanked = thanks.picked().map((person) => person.id);
      thanks.clear();
      // The post exists now: a refused kudos list is said, not a reason to post twice.
      if (post && thanked.length) {
        await setKudos(post.id, thanked).catch((err) => showToast(t('compose.thankFailed', { error: errorMessage(err, t) })));
      }
      ctx.navigate(routeHash('feed'));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      busy = false;
      submit.textContent = t('compose.submit');
      render(composer.snapshot());
    }
  }

  message.input.addEventListener('input', () => {
    alert.textContent = '';
    composer.setBody(message.input.value);
  });
  const unsubscribe = composer.subscribe(render);
  main.append(el('section', { class: 'composer' },
    el('form', { class: 'card form', onsubmit: onSubmit },
      message.wrap, counter, media, listHolder, thanks.wrap, alert, hint, submit)));
  message.input.value = composer.snapshot().body;
  render(composer.snapshot());
  message.input.focus();
  // Arrived from "Share → Hallway": the service worker kept the files (or could not, or was not
  // there and the server sent the person here); the query is dropped so a reload says nothing.
  const share = routeQuery(location.hash).get('share');
  if (share) history.replaceState(history.state, '', routeHash('new'));
  if (share === 'failed' || share === 'unavailable') {
    alert.textContent = t(`compose.share.${share}`);
  }
  composer.openComposer()
    .then(() => composer.takeShared())
    .then(() => {
      if (message.input.value !== composer.snapshot().body) message.input.value = composer.snapshot().body;
      render(composer.snapshot());
    })
    .catch((err) => { alert.textContent = errorMessage(err, t); });

  return () => {
    unsubscribe();
    attachments.destroy();
    thanks.destroy();
  };
}
