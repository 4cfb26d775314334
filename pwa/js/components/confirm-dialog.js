// A modal confirm built on <dialog>: resolves true when the person confirms.
import { el } from './dom.js';

export function confirmDialog({ message, confirm, cancel }) {
  return new Promise((resolve) => {
    const dialog = el('dialog', { class: 'confirm', 'aria-label': message },
      el('p', {}, message),
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'btn', onclick: () => dialog.close('cancel') }, cancel),
        el('button', { type: 'button', class: 'btn danger', onclick: () => dialog.close('ok') }, confirm)));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('.danger').focus();
  });
}
