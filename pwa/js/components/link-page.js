// A page opened from a one-time link (#/join/TOKEN, #/reset/TOKEN): the brand and a loading line,
// then the link's form, or why the link does not work and the way to sign in.
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el } from './dom.js';

/** Mount into main; `load()` reads the link, `form(data)` builds what it offers. Returns the unmount. */
export function LinkPage(main, { loading, load, form }) {
  const section = el('section', { class: 'auth' },
    el('div', { class: 'brand' },
      el('img', { src: 'icons/icon-192.png', alt: '', width: '72', height: '72' }),
      el('h1', { class: 'brand-name' }, t('app.name'))));
  const status = el('p', { class: 'center' }, loading);
  section.append(status);
  main.append(section);
  let alive = true;

  load().then((data) => {
    if (!alive) return;
    status.remove();
    section.append(form(data));
  }, (err) => {
    if (!alive) return;
    status.remove();
    section.append(
      el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)),
      el('p', { class: 'center' }, el('a', { href: routeHash('feed') }, t('signin.submit'))));
  });
  return () => { alive = false; };
}
