// Sign-in screen: Email, Password, "Sign in"; API errors in words in a role=alert.
import { signIn } from '../actions/session.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { el, field } from '../components/dom.js';

export function SignInView(main, ctx) {
  ctx.setTitle(t('signin.title'));
  const email = field({ label: t('signin.email'), type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email', autocapitalize: 'none', spellcheck: 'false' });
  const password = field({ label: t('signin.password'), type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary wide' }, t('signin.submit'));

  async function onSubmit(event) {
    event.preventDefault();
    alert.textContent = '';
    submit.disabled = true;
    submit.textContent = t('signin.busy');
    try {
      await signIn(email.input.value.trim(), password.input.value);
      // The store now has "me": main.js renders the route that was asked for.
    } catch (err) {
      alert.textContent = errorMessage(err, t);
      password.input.select();
    } finally {
      submit.disabled = false;
      submit.textContent = t('signin.submit');
    }
  }

  main.append(el('section', { class: 'auth' },
    el('div', { class: 'brand' },
      el('img', { src: 'icons/icon-192.png', alt: '', width: '72', height: '72' }),
      el('h1', { class: 'brand-name' }, t('app.name')),
      el('p', { class: 'brand-intro' }, t('signin.intro'))),
    el('form', { class: 'card form', onsubmit: onSubmit }, email.wrap, password.wrap, alert, submit),
    el('p', { class: 'hint center' }, t('signin.invited'))));
  email.input.focus();
}
