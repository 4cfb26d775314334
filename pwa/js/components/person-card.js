// PersonCard(el, person): avatar, name, job, department, location, manager, bio, "ask me about" tags.
import { t } from '../lib/i18n.js';
import { initials, hueFor } from '../lib/avatar.js';
import { routeHash } from '../lib/router.js';
import { el, clear, append } from './dom.js';

export function PersonCard(root, person, { headingLevel = 2 } = {}) {
  const job = [person.title, person.department].filter(Boolean).join(' · ');
  append(clear(root), [el('div', { class: 'person' },
    el('span', { class: 'avatar large', 'aria-hidden': 'true', style: `--hue: ${hueFor(person.id)}` }, initials(person.name)),
    el('div', { class: 'person-text' },
      el(`h${headingLevel}`, { class: 'person-name' }, person.name),
      job ? el('p', { class: 'meta' }, job) : null,
      person.location ? el('p', { class: 'meta' }, person.location) : null,
      person.manager
        ? el('p', { class: 'meta' }, t('person.reportsTo'), ' ', el('a', { href: routeHash('people', person.manager.id) }, person.manager.name))
        : null)),
  person.bio ? el('p', { class: 'bio', dir: 'auto' }, person.bio) : null,
  person.expertise?.length
    ? el('div', { class: 'expertise' },
      el('p', { class: 'label-small' }, t('person.askMe')),
      el('ul', { class: 'tags' }, person.expertise.map((tag) => el('li', {}, tag))))
    : null]);
  return root;
}
