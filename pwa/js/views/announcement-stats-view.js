// An announcement's reach for its author and moderators: acknowledged X of Y, who has not, Remind.
import { getStats, remind } from '../api/announcements.js';
import { errorMessage } from '../lib/errors.js';
import { t, formatNumber, getLanguage } from '../lib/i18n.js';
import { fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { el, clear } from '../components/dom.js';
import { showToast } from '../components/toast.js';

export function AnnouncementStatsView(main, ctx) {
  ctx.setTitle(t('ann.statsTitle'));
  const id = ctx.route.id;
  const summary = el('div', { class: 'stack' });
  const list = el('ul', { class: 'people-list' });
  const more = el('button', { type: 'button', class: 'btn', hidden: true }, t('ann.more'));
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const remindButton = el('button', { type: 'button', class: 'btn primary' }, t('ann.remind'));
  let cursor = null;

  function person(p) {
    const meta = [p.title, p.department, p.location].filter(Boolean).join(' · ');
    return el('li', {}, el('a', { href: routeHash('people', p.id) }, p.name), meta ? el('span', { class: 'meta' }, ` ${meta}`) : null);
  }

  async function load(next = null) {
    try {
      const stats = await getStats(id, next);
      if (!next) {
        clear(list);
        const total = formatNumber(stats.audience_size);
        clear(summary).append(
          el('p', { class: 'big-count' }, stats.must_read
            ? t('ann.count', { n: stats.acknowledged, total })
            : t('ann.reach', { n: stats.audience_size })),
          el('p', { class: 'meta' }, t('ann.audienceIs', { audience: stats.audience })),
          el('a', { href: routeHash('post', id) }, t('ann.title')));
        const nobodyLeft = stats.must_read && stats.acknowledged === stats.audience_size;
        remindButton.hidden = !stats.must_read || nobodyLeft || stats.status !== 'published';
        remindButton.disabled = Boolean(stats.next_reminder_at);
        if (stats.next_reminder_at) {
          summary.append(el('p', { class: 'hint' }, t('ann.remindAgain', { time: fullDate(stats.next_reminder_at, getLanguage()) })));
        }
        if (stats.must_read) summary.append(el('h2', { class: 'section-title' }, nobodyLeft ? t('ann.allDone') : t('ann.missing')));
      }
      list.append(...stats.not_acknowledged.map(person));
      cursor = stats.next_cursor;
      more.hidden = !cursor;
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    }
  }

  more.addEventListener('click', () => load(cursor));
  remindButton.addEventListener('click', async () => {
    remindButton.disabled = true;
    alert.textContent = '';
    try {
      const result = await remind(id);
      showToast(t('ann.reminded', { n: result.reminded }));
      await load();
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    }
  });
  main.append(summary, remindButton, alert, list, more);
  load();
  return null;
}
