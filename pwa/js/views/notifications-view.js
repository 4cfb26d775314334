// The Notifications tab: newest first, unread ones marked, the app badge kept in step.
import { listNotifications, markRead } from '../api/notifications.js';
import { setBadge } from '../actions/push.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { relativeTime } from '../lib/relative-time.js';
import { safeAppUrl } from '../lib/push-support.js';
import { el } from '../components/dom.js';

function item(n) {
  const when = relativeTime(n.created_at, { lang: getLanguage(), justNow: t('time.justNow') });
  return el('li', { class: n.read ? 'note' : 'note unread' },
    el('a', { href: safeAppUrl(n.url) },
      el('strong', {}, n.title),
      n.body ? el('span', { class: 'note-body' }, n.body) : null,
      el('time', { class: 'hint', datetime: n.created_at }, when)));
}

export function NotificationsView(main, ctx) {
  ctx.setTitle(t('notifications.title'));
  const status = el('p', { class: 'hint', 'aria-live': 'polite' }, t('feed.loading'));
  const list = el('ul', { class: 'notes' });
  const more = el('button', { type: 'button', class: 'btn wide', hidden: true }, t('notifications.more'));
  main.append(el('section', { class: 'notifications' }, status, list, more));
  let alive = true;
  let cursor = null;

  async function load() {
    more.disabled = true;
    try {
      const page = await listNotifications(cursor);
      if (!alive) return;
      const first = cursor === null;
      list.append(...page.items.map(item));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      if (!first) return;
      status.textContent = page.items.length ? t('notifications.unread', { n: page.unread }) : t('notifications.empty');
      setBadge(page.unread);
      // Opening the tab is seeing them: the ones shown count as read from now on.
      if (page.unread && page.items.length) setBadge(await markRead(page.items[0].id).then((r) => r.unread));
    } catch (err) {
      if (alive) status.textContent = errorMessage(err, t);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  load();
  return () => { alive = false; };
}
