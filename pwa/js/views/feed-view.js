// Feed: every post, newest first after the pinned ones, loaded as you scroll.
import { t } from '../lib/i18n.js';
import { store } from '../actions/app-state.js';
import { el } from '../components/dom.js';
import { icon } from '../components/icons.js';
import { FeedList } from '../components/feed-list.js';

export function FeedView(main, ctx) {
  ctx.setTitle(t('feed.title'));
  const { justPosted } = store.get();
  store.set({ justPosted: null });
  const holder = el('section', { class: 'feed' });
  main.append(holder);
  const list = FeedList(holder, { highlight: justPosted });
  ctx.setActions(el('button', {
    type: 'button', class: 'icon-btn', onclick: () => { list.refresh(); },
    'aria-label': t('feed.refresh'), title: t('feed.refresh'),
  }, icon('refresh')));
  return () => list.destroy();
}
