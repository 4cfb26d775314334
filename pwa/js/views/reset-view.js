// Password link (#/reset/TOKEN), made by an admin: choose a new password, then straight to the feed.
import { loadReset, resetWithLink } from '../actions/accounts.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el, field } from '../components/dom.js';
import { LinkPage } from '../components/link-page.js';
import { MIN_PASSWORD } from './join-view.js';

export function ResetView(main, ctx) {
  ctx.setTitle(t('reset.title'));
  const token = ctx.route.id;

  function form(reset) {
    // The email, for the browser's password manager to file the new password under.
    const email = el('input', { type: 'email', name: 'email', autocomplete: 'username', value: reset.email, hidden: true, readonly: true });
    const password = field({ label: t('reset.password'), hint: t('join.passwordHint'), type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
    const alert = el('p', { class: 'form-error', role: 'alert' });
    const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('reset.submit'));

    async function onSubmit(event) {
      event.preventDefault();
      alert.textContent = '';
      if ([...password.input.value].length < MIN_PASSWORD) {
        alert.textContent = t('join.tooShort');
        password.input.focus();
        return;
      }
      submit.disabled = true;
      try {
        await resetWithLink(token, password.input.value);
        ctx.navigate(routeHash('feed'));
      } catch (err) {
        alert.textContent = errorMessage(err, t);
        submit.disabled = false;
      }
    }

    return el('form', { class: 'card form', onsubmit: onSubmit, novalidate: true },
      el('p', {}, t('reset.for', { name: reset.name, email: reset.email })),
      email, password.wrap, alert, submit);
  }

  return LinkPage(main, { loading: t('reset.loading'), load: () => loadReset(token), form });
}
