// AttachmentList(root, {fileOf, onMove, onRemove, onAlt, onRetry}): the picked files with a
// preview, a progress bar, alt text for photos and buttons to reorder and remove. Keyed
// updates: typing alt text or a playing preview survives every progress event.
import { t, formatNumber } from '../lib/i18n.js';
import { errorMessage } from '../lib/errors.js';
import { fraction } from '../lib/upload-queue.js';
import { el, clear } from './dom.js';

export function AttachmentList(root, { fileOf, onMove, onRemove, onAlt, onRetry }) {
  const list = el('ol', { class: 'attachments', 'aria-label': t('compose.attachments') });
  clear(root).append(list);
  const rows = new Map(); // key -> {li, parts, url}

  function preview(item) {
    const file = fileOf(item.key);
    const url = file ? URL.createObjectURL(file) : null;
    if (!url) return { node: el('div', { class: 'preview missing' }, item.name), url };
    const node = item.kind === 'video'
      ? el('video', { class: 'preview', src: url, muted: true, playsinline: true, controls: true, preload: 'metadata' })
      : el('img', { class: 'preview', src: url, alt: '' });
    return { node, url };
  }

  function makeRow(item) {
    const { node, url } = preview(item);
    const progress = el('progress', { max: '100', value: '0', 'aria-label': t('compose.progressOf', { name: item.name }) });
    const status = el('p', { class: 'upload-status', 'aria-live': 'polite' });
    const retry = el('button', { type: 'button', class: 'btn small', hidden: true, onclick: () => onRetry(item.key) }, t('compose.retryUpload'));
    const left = el('button', { type: 'button', class: 'icon-btn small', onclick: () => onMove(item.key, -1) }, '←');
    const right = el('button', { type: 'button', class: 'icon-btn small', onclick: () => onMove(item.key, 1) }, '→');
    const remove = el('button', { type: 'button', class: 'btn small', onclick: () => onRemove(item.key) }, t('compose.remove'));
    let alt = null;
    if (item.kind === 'image') {
      alt = el('input', {
        type: 'text', maxlength: '1000', value: item.alt,
        oninput: (e) => onAlt(item.key, e.target.value),
      });
    }
    const name = el('p', { class: 'file-name' }, item.name);
    const li = el('li', { class: `attachment kind-${item.kind}` },
      node,
      el('div', { class: 'attachment-body' },
        name,
        progress, status, retry,
        alt ? el('label', { class: 'alt-label' }, t('compose.alt'), alt) : null,
        el('div', { class: 'attachment-tools' }, item.kind === 'image' ? [left, right] : null, remove)));
    return { li, url, parts: { progress, status, retry, left, right, remove, alt } };
  }

  function statusText(item) {
    if (item.state === 'done') return t('compose.uploaded');
    if (item.state === 'paused') return t('compose.paused');
    if (item.state === 'failed') return t('compose.uploadFailed', { error: errorMessage(item.error, t) });
    if (item.state === 'queued') return t('compose.queued');
    return t('compose.percent', { percent: formatNumber(Math.floor(fraction(item) * 100)) });
  }

  function update(queue) {
    const keys = new Set(queue.items.map((i) => i.key));
    for (const [key, row] of rows) {
      if (keys.has(key)) continue;
      row.li.remove();
      if (row.url) URL.revokeObjectURL(row.url);
      rows.delete(key);
    }
    const photos = queue.items.filter((i) => i.kind === 'image').length;
    queue.items.forEach((item, index) => {
      let row = rows.get(item.key);
      if (!row) {
        row = makeRow(item);
        rows.set(item.key, row);
      }
      const { progress, status, retry, left, right, remove, alt } = row.parts;
      const label = item.kind === 'image' ? t('compose.photoN', { n: index + 1 }) : item.name;
      progress.value = Math.round(fraction(item) * 100);
      status.textContent = statusText(item);
      row.li.classList.toggle('failed', item.state === 'failed');
      retry.hidden = item.state !== 'failed';
      left.disabled = index === 0;
      right.disabled = index === photos - 1;
      left.setAttribute('aria-label', t('compose.moveLeft', { name: label }));
      right.setAttribute('aria-label', t('compose.moveRight', { name: label }));
      remove.setAttribute('aria-label', t('compose.removeNamed', { name: label }));
      if (alt && document.activeElement !== alt) alt.value = item.alt;
      // Move only what is out of place: taking a playing preview out of the page would stop it.
      if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);
    });
  }

  function destroy() {
    for (const row of rows.values()) if (row.url) URL.revokeObjectURL(row.url);
    rows.clear();
  }

  return { update, destroy };
}
