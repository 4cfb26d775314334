// The author changes who a published post thanks: the composer's people picker in a bottom
// sheet, saved as the whole list (PUT /api/posts/{id}/kudos; the server lets only the author).
import { setKudos } from '../api/social.js';
import { store } from '../actions/app-state.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { el } from './dom.js';
import { PeoplePicker } from './people-picker.js';
import { openSheet, stylesReady } from './sheet.js';

/** openKudosSheet(post) -> Promise of the people it thanks once saved, or null when closed unsaved. */
export async function openKudosSheet(post) {
  await stylesReady;
  return new Promise((resolve) => {
    let saved = null;
    const picker = PeoplePicker({
      label: t('compose.thank'), hint: t('compose.thankHint'), exclude: store.get().me?.id ?? null, initial: post.kudos || [],
    });
    const error = el('p', { class: 'form-error', role: 'alert' });
    const save = el('button', { type: 'submit', class: 'btn primary' }, t('kudos.save'));
    const form = el('form', {
      class: 'comment-form kudos-form',
      async onsubmit(event) {
        event.preventDefault();
        save.disabled = true;
        error.textContent = '';
        try {
          saved = (await setKudos(post.id, picker.picked().map((person) => person.id))).people;
          sheet.close();
        } catch (err) {
          error.textContent = errorMessage(err, t);
          save.disabled = false;
        }
      },
    }, picker.wrap, error, save);
    const sheet = openSheet({
      title: t('kudos.title'),
      body: [el('p', { class: 'hint' }, t('kudos.intro'))],
      footer: form,
      onClose() {
        picker.destroy();
        resolve(saved);
      },
    });
    form.querySelector('input')?.focus();
  });
}
