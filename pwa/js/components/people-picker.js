// Choosing colleagues by name (the kudos of the composer and of a post's menu): a combobox over the people directory,
// the chosen ones as chips with a remove button. Same keys as the @mention list.
import { t } from '../lib/i18n.js';
import { el, clear, field } from './dom.js';
import { PeopleSuggest } from './people-suggest.js';

export const MAX_PICKED = 20; // the server's limit of people one post thanks

/**
 * PeoplePicker({label, hint, exclude, initial, max}) -> {wrap, picked(), clear(), destroy()};
 * exclude: an id never offered (me); initial: people already chosen; max: how many at most (with
 * 1, a new choice replaces the one before).
 */
export function PeoplePicker({ label, hint, exclude = null, initial = [], max = MAX_PICKED }) {
  const { wrap: fieldWrap, input } = field({ label, hint, type: 'text', role: 'combobox', autocomplete: 'off', 'aria-expanded': 'false' });
  const chips = el('ul', { class: 'chips', 'aria-label': label });
  const picked = new Map(initial.slice(0, max).map((person) => [person.id, person])); // id -> person, in the order chosen
  const suggest = PeopleSuggest(input, {
    prefix: 'people',
    label,
    listClass: 'mention-list picker-list',
    queryOf: () => input.value.trim(),
    keep: (person) => person.id !== exclude && !picked.has(person.id),
    onPick(person) {
      if (max === 1) picked.clear();
      if (picked.size < max) picked.set(person.id, person);
      input.value = '';
      renderChips();
    },
  });

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

  renderChips();
  return {
    wrap: el('div', { class: 'people-picker' }, fieldWrap, el('div', { class: 'mention-wrap' }, suggest.listbox), chips),
    picked: () => [...picked.values()],
    clear() {
      picked.clear();
      renderChips();
    },
    destroy() {
      suggest.destroy();
    },
  };
}
