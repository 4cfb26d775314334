// @mention autocomplete on a textarea: typing "@An" lists colleagues from the directory;
// picking one inserts @[Ann Smith](user:ID), the token the server resolves without guessing.
import { activeMention, insertMention } from '../lib/mention-token.js';
import { t } from '../lib/i18n.js';
import { PeopleSuggest } from './people-suggest.js';

/** MentionInput(textarea): returns {listbox, destroy}; put listbox right after the textarea. */
export function MentionInput(textarea) {
  const { listbox, destroy } = PeopleSuggest(textarea, {
    prefix: 'mentions',
    label: t('mention.suggestions'),
    listClass: 'mention-list',
    tabPicks: true,
    queryOf: () => activeMention(textarea.value, textarea.selectionStart)?.query || '',
    onPick(person) {
      const { text, caret } = insertMention(textarea.value, textarea.selectionStart, person);
      textarea.value = text;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    },
  });
  return { listbox, destroy };
}
