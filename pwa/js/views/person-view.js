// A colleague's profile (#/people/ID): who they are, Follow, their posts and the kudos they received.
import { getPerson } from '../api/people.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { el } from '../components/dom.js';
import { PersonCard } from '../components/person-card.js';
import { FeedList } from '../components/feed-list.js';

export function PersonView(main, ctx) {
  const id = ctx.route.id;
  ctx.setTitle(t('nav.profile'));
  const cardHolder = el('section', { class: 'card profile-card' }, el('p', {}, t('feed.loading')));
  const postsHolder = el('section', { class: 'feed' });
  const kudosHeading = el('h2', { class: 'section-title', hidden: true });
  const kudosHolder = el('section', { class: 'feed' });
  main.append(cardHolder, el('h2', { class: 'section-title' }, t('person.posts')), postsHolder, kudosHeading, kudosHolder);
  let alive = true;
  let kudos = null;
  getPerson(id).then(async (person) => {
    if (!alive) return;
    ctx.setTitle(person.name);
    PersonCard(cardHolder, person);
    // Follow and kudos load with their module: the profile itself shows at once.
    const { FollowPanel, KudosList } = await import('../components/follow-panel.js');
    if (!alive) return;
    cardHolder.append(FollowPanel(person));
    if (person.kudos) {
      kudosHeading.textContent = t('follow.kudosTitle');
      kudosHeading.hidden = false;
      kudos = KudosList(kudosHolder, person);
    }
  }).catch((err) => {
    if (!alive) return;
    cardHolder.replaceChildren(el('p', { class: 'form-error', role: 'alert' },
      err.status === 404 ? t('person.notFound') : errorMessage(err, t)));
  });
  const list = FeedList(postsHolder, { query: { author: id }, label: t('person.posts'), empty: t('person.noPosts'), emptyWrite: false });
  return () => {
    alive = false;
    list.destroy();
    kudos?.destroy();
  };
}
