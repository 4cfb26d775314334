// The list of colleagues under a text field, shared by @mentions and the kudos picker: a debounced
// directory search (a later keystroke wins), arrow keys to move, Enter (and optionally Tab) to pick,
// Escape to close the list without closing the sheet around it.
import { searchPeople } from '../api/people.js';
import { el, clear, nextId } from './dom.js';

const DEBOUNCE_MS = 180;
const SHOWN = 6;

/**
 * PeopleSuggest(input, {prefix, label, listClass, queryOf, keep, onPick, tabPicks})
 *   -> {listbox, listId, close, destroy}
 * queryOf(): what to search for ('' closes the list); keep(person): whether to offer them;
 * onPick(person): the caller's use of the choice (the list closes and the focus stays in input).
 */
export function PeopleSuggest(input, { prefix, label, listClass, queryOf, keep = () => true, onPick, tabPicks = false }) {
  const listId = nextId(prefix);
  const listbox = el('ul', { id: listId, class: listClass, role: 'listbox', 'aria-label': label, hidden: true });
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
      onmousedown: (e) => e.preventDefault(), // keep the focus (and a textarea's caret) in the field
      onclick: () => pick(person),
    }, el('span', { class: 'name' }, person.name),
    person.title || person.department ? el('span', { class: 'meta' }, ` · ${person.title || person.department}`) : null)));
    listbox.hidden = !people.length;
    input.setAttribute('aria-expanded', String(Boolean(people.length)));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function pick(person) {
    onPick(person);
    close();
    input.focus();
  }

  function onInput() {
    clearTimeout(timer);
    const query = queryOf();
    if (!query) {
      close();
      return;
    }
    const mine = ++asked;
    timer = setTimeout(() => {
      searchPeople(query).then((page) => {
        if (mine !== asked) return; // a later keystroke asked again
        people = (page.items || []).filter(keep).slice(0, SHOWN);
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
    } else if ((event.key === 'Enter' || (tabPicks && event.key === 'Tab')) && active >= 0) {
      event.preventDefault(); // pick, do not submit the form
      pick(people[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // close the list, not the sheet
      close();
    }
  }

  const onBlur = () => setTimeout(close, 150);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', onBlur);
  return {
    listbox,
    listId,
    close,
    destroy() {
      clearTimeout(timer);
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onKey);
      input.removeEventListener('blur', onBlur);
    },
  };
}
