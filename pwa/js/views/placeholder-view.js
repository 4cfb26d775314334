// Screens that later issues fill: they say so instead of looking broken.
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el } from '../components/dom.js';
import { icon } from '../components/icons.js';

const SCREENS = {
  videos: { title: 'videos.title', text: 'videos.soon', icon: 'videos' },
  notifications: { title: 'notifications.title', text: 'notifications.soon', icon: 'notifications' },
  tag: { title: null, text: 'tag.soon', icon: 'feed' },
};

export function PlaceholderView(main, ctx) {
  const screen = SCREENS[ctx.route.name];
  ctx.setTitle(screen.title ? t(screen.title) : `#${ctx.route.id}`);
  main.append(el('section', { class: 'placeholder' },
    el('div', { class: 'placeholder-icon' }, icon(screen.icon, 40)),
    el('p', {}, t(screen.text)),
    el('a', { class: 'btn', href: routeHash('feed') }, t('placeholder.back'))));
}
