// One post (#/post/ID): where a shared link lands.
import { getPost } from '../api/posts.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el } from '../components/dom.js';
import { PostCard } from '../components/post-card.js';
import { handlePostAction } from '../components/post-actions.js';

export function PostView(main, ctx) {
  ctx.setTitle(t('post.title'));
  const holder = el('section', { class: 'single' }, el('p', { class: 'list-status' }, t('feed.loading')));
  main.append(holder);
  let alive = true;
  getPost(ctx.route.id).then((post) => {
    if (!alive) return;
    const article = el('article');
    const card = PostCard(article, post);
    holder.replaceChildren(article);
    holder.addEventListener('post-action', (event) => handlePostAction(event.detail, {
      pinned: (updated) => card.update(updated),
      retried: (updated) => card.update(updated),
      changed: (updated) => card.update(updated),
      deleted: () => ctx.navigate(routeHash('feed')),
    }));
  }, (err) => {
    if (!alive) return;
    const text = err.status === 404 ? t('post.notFound') : errorMessage(err, t);
    holder.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, text),
      el('a', { class: 'btn', href: routeHash('feed') }, t('placeholder.back')));
  });
  return () => { alive = false; };
}
