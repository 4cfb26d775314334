// Composer: "Message" with a counter, "Post"; media input present but disabled for now.
import { publishPost } from '../actions/posts.js';
import { composerState, MAX_POST_LENGTH } from '../lib/compose.js';
import { errorMessage } from '../lib/errors.js';
import { t, formatNumber } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el, field, nextId } from '../components/dom.js';

const DRAFT_KEY = 'hallway.draft';

export function ComposerView(main, ctx) {
  ctx.setTitle(t('compose.title'));
  const counterId = nextId('counter');
  const message = field({
    label: t('compose.message'), tag: 'textarea', name: 'body', rows: '7',
    placeholder: t('compose.placeholder'), 'aria-describedby': counterId, required: true,
  });
  message.input.value = sessionStorage.getItem(DRAFT_KEY) || '';
  const counter = el('p', { class: 'counter', id: counterId });
  const mediaNoteId = nextId('media');
  const mediaId = nextId('file');
  const media = el('div', { class: 'field media-field' },
    el('label', { for: mediaId, class: 'file-label' }, t('compose.media')),
    el('input', { id: mediaId, type: 'file', accept: 'image/*,video/*', multiple: true, disabled: true, 'aria-describedby': mediaNoteId }),
    el('p', { class: 'hint', id: mediaNoteId }, t('compose.mediaSoon')));
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('compose.submit'));

  function update() {
    const state = composerState(message.input.value, MAX_POST_LENGTH);
    counter.textContent = state.over
      ? t('compose.tooLong', { over: formatNumber(state.over) })
      : t('compose.counter', { count: formatNumber(state.count), max: formatNumber(state.max) });
    counter.classList.toggle('over', state.over > 0);
    submit.disabled = !state.valid;
    return state;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (!update().valid) return;
    alert.textContent = '';
    submit.disabled = true;
    submit.textContent = t('compose.busy');
    try {
      await publishPost(message.input.value);
      sessionStorage.removeItem(DRAFT_KEY);
      ctx.navigate(routeHash('feed'));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
      submit.textContent = t('compose.submit');
      update();
    }
  }

  message.input.addEventListener('input', () => {
    sessionStorage.setItem(DRAFT_KEY, message.input.value); // keep the text if posting fails
    update();
  });
  main.append(el('section', { class: 'composer' },
    el('form', { class: 'card form', onsubmit: onSubmit }, message.wrap, counter, media, alert, submit)));
  update();
  message.input.focus();
}
