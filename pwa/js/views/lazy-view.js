// A screen whose code loads when it is first opened, so it stays out of the first load.
import { t } from '../lib/i18n.js';
import { errorMessage } from '../lib/errors.js';
import { el } from '../components/dom.js';

/** lazyView(load): a view main.js can mount at once; load() resolves to the real view function. */
export function lazyView(load) {
  return (main, ctx) => {
    let cleanup = null;
    let gone = false;
    load().then((view) => {
      if (!gone) cleanup = view(main, ctx) || null;
    }).catch((err) => {
      if (!gone) main.append(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
    });
    return () => {
      gone = true;
      cleanup?.();
    };
  };
}
