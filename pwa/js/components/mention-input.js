// @mention autocomplete on a textarea: typing "@An" lists colleagues from the directory;
// picking one inserts @[Ann Smith](user:ID), the token the server resolves without guessing.
import { searchPeople } from '../api/people.js';
import { activeMention, insertMention } from '../lib/mention-token.js';
import { t } from '../lib/i18n.js';
import { el, clear, nextId } from './dom.js';

const DEBOUNCE_MS = 180;

/** MentionInput(textarea): returns {listbox, destroy}; put listbox right after the textarea. */
export function MentionInput(textarea) {
  const listId = nextId('mentions');
  const listbox = el('ul', { id: listId, class: 'mention-list', role: 'listbox', 'aria-label': t('mention.suggestions'), hidden: true });
  textarea.setAttribute('aria-autocomplete', 'list');
  textarea.setAttribute('aria-controls', listId);
  let people = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    people = [];
    active = -1;
    listbox.hidden = true;
    clear(listbox);
    textarea.removeAttribute('aria-activedescendant');
    textarea.setAttribute('aria-expanded', 'false');
  }

  function show() {
    clear(listbox);
    people.forEach((person, i) => {
      const option = el('li', {
        id: `${listId}-${i}`, role: 'option', class: 'mention-option', 'aria-selected': String(i === active),
        onmousedown: (e) => e.preventDefault(), // keep the focus (and the caret) in the textarea
        onclick: () => pick(person),
      }, el('span', { class: 'name' }, person.name),
      person.department || person.title ? el('span', { class: 'meta' }, ` · ${person.title || person.department}`) : null);
      listbox.append(option);
    });
    listbox.hidden = !people.length;
    textarea.setAttribute('aria-expanded', String(Boolean(people.length)));
    if (active >= 0) textarea.setAttribute('aria-activedescendant', `${listId}-${active}`);
    else textarea.removeAttribute('aria-activedescendant');
  }

  function pick(person) {
    const { text, caret } = insertMention(textarea.value, textarea.selectionStart, person);
    textarea.value = text;
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    close();
    textarea.focus();
  }

  function onInput() {
    clearTimeout(timer);
    const mention = activeMention(textarea.value, textarea.selectionStart);
    if (!mention || !mention.query) {
      close();
      return;
    }
    const mine = ++asked;
    timer = setTimeout(() => {
      searchPeople(mention.query).then((page) => {
        if (mine !== asked) return; // a later keystroke asked again
        people = (page.items || []).slice(0, 6);
        active = people.length ? 0 : -1;
        show();
      }, close);
    }, DEBOUNCE_MS);
  }

  function onKey(event) {
    if (listbox.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active = (active + step + people.length) % people.length;
      show();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && active >= 0) {
      event.preventDefault();
      pick(people[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // close the list, not the sheet
      close();
    }
  }

  textarea.addEventListener('input', onInput);
  textarea.addEventListener('keydown', onKey);
  textarea.addEventListener('blur', () => setTimeout(close, 150));
  return {
    listbox,
    destroy() {
      clearTimeout(timer);
      textarea.removeEventListener('input', onInput);
      textarea.removeEventListener('keydown', onKey);
    },
  };
}
