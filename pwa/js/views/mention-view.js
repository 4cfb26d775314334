// Where an @mention leads: straight to the person when the name is unambiguous, else a list.
import { searchPeople } from '../api/people.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { routeHash } from '../lib/router.js';
import { el } from '../components/dom.js';

export function MentionView(main, ctx) {
  const name = ctx.route.id;
  ctx.setTitle(`@${name}`);
  const holder = el('section', { class: 'card' }, el('p', {}, t('feed.loading')));
  main.append(holder);
  let alive = true;
  searchPeople(name).then((page) => {
    if (!alive) return;
    const people = page.items || [];
    if (people.length === 1) {
      location.replace(routeHash('people', people[0].id));
      return;
    }
    holder.replaceChildren(people.length
      ? el('div', {},
        el('h2', { class: 'section-title' }, t('mention.title', { name })),
        el('ul', { class: 'people' }, people.map((p) => el('li', {},
          el('a', { href: routeHash('people', p.id) }, p.name),
          p.title ? el('span', { class: 'meta' }, ` · ${p.title}`) : null))))
      : el('p', {}, t('mention.none', { name })));
  }, (err) => {
    if (alive) holder.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
  });
  return () => { alive = false; };
}
