// A #hashtag's page (#/tag/NAME): the posts with that tag, newest first.
import { tagPosts } from '../api/social.js';
import { t } from '../lib/i18n.js';
import { el } from '../components/dom.js';
import { FeedList } from '../components/feed-list.js';

export function TagView(main, ctx) {
  const tag = String(ctx.route.id || '').replace(/^#/, '');
  ctx.setTitle(t('tag.title', { tag }));
  const holder = el('section', { class: 'feed' });
  main.append(holder);
  const list = FeedList(holder, {
    load: ({ cursor }) => tagPosts(tag, cursor),
    label: t('tag.label', { tag }),
    empty: t('tag.empty', { tag }),
    emptyWrite: false,
  });
  return () => list.destroy();
}
