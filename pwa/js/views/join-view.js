// Join screen (#/join/TOKEN): from an invite or the first-admin setup link.
import { loadInvite, joinWithInvite } from '../actions/profile.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { el, field } from '../components/dom.js';
import { LinkPage } from '../components/link-page.js';

export const MIN_PASSWORD = 10;

export function JoinView(main, ctx) {
  ctx.setTitle(t('join.title'));
  const token = ctx.route.id;

  function form(invite) {
    const name = field({ label: t('join.name'), name: 'name', autocomplete: 'name', required: true, maxlength: '100' });
    const email = field({ label: t('join.email'), type: 'email', name: 'email', autocomplete: 'username', required: true, value: invite.email || '', inputmode: 'email', autocapitalize: 'none', spellcheck: 'false' });
    const password = field({ label: t('join.password'), hint: t('join.passwordHint'), type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
    const alert = el('p', { class: 'form-error', role: 'alert' });
    const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('join.submit'));

    async function onSubmit(event) {
      event.preventDefault();
      alert.textContent = '';
      if ([...password.input.value].length < MIN_PASSWORD) {
        alert.textContent = t('join.tooShort');
        password.input.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t('join.busy');
      try {
        await joinWithInvite(token, {
          name: name.input.value.trim(),
          email: email.input.value.trim(),
          password: password.input.value,
        });
        ctx.navigate(routeHash('feed'));
      } catch (err) {
        alert.textContent = errorMessage(err, t);
        submit.disabled = false;
        submit.textContent = t('join.submit');
      }
    }

    const role = t(`role.${invite.role}`);
    return el('form', { class: 'card form', onsubmit: onSubmit, novalidate: true },
      el('p', { class: 'invite-role' }, t('join.role', { role })),
      invite.expires_at ? el('p', { class: 'hint' }, t('invite.expires', { date: fullDate(invite.expires_at, getLanguage()) })) : null,
      name.wrap, email.wrap, password.wrap, alert, submit);
  }

  return LinkPage(main, { loading: t('join.loading'), load: () => loadInvite(token), form });
}
