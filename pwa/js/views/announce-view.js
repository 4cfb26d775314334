// New announcement (moderators and admins): message, pin with an end, must-read, audience, now or later.
import { createAnnouncement, getAudiences } from '../api/announcements.js';
import { announcementPayload } from '../lib/announce-model.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { store } from '../actions/app-state.js';
import { el, field } from '../components/dom.js';
import { showToast } from '../components/toast.js';

function radios(name, legend, options, checked) {
  return el('fieldset', { class: 'field' }, el('legend', {}, legend),
    ...options.map(([value, label]) => el('label', { class: 'check' },
      el('input', { type: 'radio', name, value, checked: value === checked }), ' ', label)));
}

function checkbox(name, label) {
  const input = el('input', { type: 'checkbox', name });
  return { wrap: el('label', { class: 'check field' }, input, ' ', label), input };
}

export function AnnounceView(main, ctx) {
  ctx.setTitle(t('ann.new'));
  const me = store.get().me;
  if (!me || !['moderator', 'admin'].includes(me.role)) {
    main.append(el('p', { class: 'form-error', role: 'alert' }, t('error.generic', { status: 403 })));
    return null;
  }
  const body = field({ label: t('ann.message'), tag: 'textarea', name: 'body', rows: '5', required: true });
  const pinned = checkbox('pinned', t('ann.pinned'));
  const pinnedUntil = field({ label: t('ann.pinnedUntil'), type: 'datetime-local', name: 'pinned_until' });
  const mustRead = checkbox('must_read', t('ann.mustRead'));
  const audience = radios('audience', t('ann.audience'),
    [['everyone', t('ann.everyone')], ['departments', t('ann.departments')], ['locations', t('ann.locations')]], 'everyone');
  const known = el('p', { class: 'hint' });
  const names = field({ label: t('ann.names'), name: 'names' });
  const when = radios('when', t('ann.when'), [['now', t('ann.now')], ['later', t('ann.later')]], 'now');
  const publishAt = field({ label: t('ann.publishAt'), type: 'datetime-local', name: 'publish_at' });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('ann.submit'));
  let choices = { departments: [], locations: [] };

  const form = el('form', { class: 'stack', novalidate: true }, body.wrap, pinned.wrap, pinnedUntil.wrap, mustRead.wrap,
    audience, names.wrap, known, when, publishAt.wrap, alert, submit);
  const value = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value;
  function sync() {
    const kind = value('audience');
    names.wrap.hidden = kind === 'everyone';
    known.hidden = kind === 'everyone' || !choices[kind]?.length;
    if (!known.hidden) known.textContent = t('ann.known', { names: choices[kind].map((c) => c.name).join(', ') });
    pinnedUntil.wrap.hidden = !pinned.input.checked;
    publishAt.wrap.hidden = value('when') !== 'later';
  }
  form.addEventListener('change', sync);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.textContent = '';
    submit.disabled = true;
    try {
      const post = await createAnnouncement(announcementPayload({
        body: body.input.value, pinned: pinned.input.checked, pinnedUntil: pinnedUntil.input.value,
        mustRead: mustRead.input.checked, audienceKind: value('audience'), names: names.input.value,
        when: value('when'), publishAt: publishAt.input.value,
      }));
      showToast(t(post.status === 'scheduled' ? 'ann.scheduledDone' : 'ann.sent'));
      ctx.navigate(routeHash('post', post.id));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
      submit.disabled = false;
    }
  });
  sync();
  main.append(form);
  getAudiences().then((data) => { choices = data; sync(); }).catch(() => {});
  return null;
}
