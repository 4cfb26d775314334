// Choosing colleagues by name (the kudos of the composer and of a post's menu): a combobox over the people directory,
// the chosen ones as chips with a remove button. Same keys as the @mention list.
import { searchPeople } from '../api/people.js';
import { t } from '../lib/i18n.js';
import { el, clear, field, nextId } from './dom.js';

const DEBOUNCE_MS = 180;
export const MAX_PICKED = 20; // the server's limit of people one post thanks

/**
 * PeoplePicker({label, hint, exclude, initial}) -> {wrap, picked(), clear(), destroy()};
 * exclude: an id never offered (me); initial: people already chosen.
 */
export function PeoplePicker({ label, hint, exclude = null, initial = [] }) {
  const listId = nextId('people');
  const { wrap: fieldWrap, input } = field({
    label, hint, type: 'text', role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list',
    'aria-controls': listId, 'aria-expanded': 'false',
  });
  const listbox = el('ul', { id: listId, class: 'mention-list picker-list', role: 'listbox', 'aria-label': label, hidden: true });
  const chips = el('ul', { class: 'chips', 'aria-label': label });
  const picked = new Map(initial.slice(0, MAX_PICKED).map((person) => [person.id, person])); // id -> person, in the order chosen
  let people = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    people = [];
    active = -1;
    listbox.hidden = true;
    clear(listbox);
    input.removeAttribute('aria-activedescendant');
    input.setAttribute('aria-expanded', 'false');
  }

  function show() {
    clear(listbox);
    people.forEach((person, i) => listbox.append(el('li', {
      id: `${listId}-${i}`, role: 'option', class: 'mention-option', 'aria-selected': String(i === active),
      onmousedown: (e) => e.preventDefault(), // keep the focus in the input
      onclick: () => pick(person),
    }, el('span', { class: 'name' }, person.name),
    person.title || person.department ? el('span', { class: 'meta' }, ` · ${person.title || person.department}`) : null)));
    listbox.hidden = !people.length;
    input.setAttribute('aria-expanded', String(Boolean(people.length)));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function renderChips() {
    clear(chips);
    for (const person of picked.values()) {
      chips.append(el('li', { class: 'chip' }, el('span', {}, person.name), el('button', {
        type: 'button', class: 'chip-remove', 'aria-label': t('compose.thankRemove', { name: person.name }),
        onclick: () => { picked.delete(person.id); renderChips(); input.focus(); },
      }, '×')));
    }
    chips.hidden = !picked.size;
  }

  function pick(person) {
    if (picked.size < MAX_PICKED) picked.set(person.id, person);
    input.value = '';
    close();
    renderChips();
    input.focus();
  }

  function onInput() {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      close();
      return;
    }
    const mine = ++asked;
    timer = setTimeout(() => {
      searchPeople(query).then((page) => {
        if (mine !== asked) return; // a later keystroke asked again
        people = (page.items || []).filter((p) => p.id !== exclude && !picked.has(p.id)).slice(0, 6);
        active = people.length ? 0 : -1;
        show();
      }, close);
    }, DEBOUNCE_MS);
  }

  function onKey(event) {
    if (listbox.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : -1) + people.length) % people.length;
      show();
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault(); // pick, do not submit the form
      pick(people[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  }

  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', () => setTimeout(close, 150));
  renderChips();
  return {
    wrap: el('div', { class: 'people-picker' }, fieldWrap, el('div', { class: 'mention-wrap' }, listbox), chips),
    picked: () => [...picked.values()],
    clear() {
      picked.clear();
      renderChips();
    },
    destroy() {
      clearTimeout(timer);
    },
  };
}
