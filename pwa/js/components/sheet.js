// A bottom sheet on a modal <dialog>: the page behind is inert (focus stays inside), Escape and
// a tap on the backdrop close it, and focus returns to what opened it.
import { t } from '../lib/i18n.js';
import { el, nextId } from './dom.js';
import { socialStyles } from './lazy-styles.js';

export const stylesReady = socialStyles();

/** openSheet({title, body: [nodes], footer, onClose}): returns {dialog, close}. */
export function openSheet({ title, body = [], footer = null, onClose } = {}) {
  const opener = document.activeElement;
  const headingId = nextId('sheet');
  const dialog = el('dialog', { class: 'sheet', 'aria-labelledby': headingId },
    el('header', { class: 'sheet-head' },
      el('h2', { id: headingId }, title),
      el('button', { type: 'button', class: 'icon-btn', 'aria-label': t('sheet.close'), title: t('sheet.close'), onclick: () => dialog.close() },
        el('span', { 'aria-hidden': 'true', class: 'close-x' }, '×'))),
    el('div', { class: 'sheet-body' }, body),
    footer);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close(); // the backdrop is the dialog itself
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
    if (opener?.isConnected) opener.focus({ preventScroll: true });
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close: () => dialog.close() };
}
