// @mention autocomplete as text edits: find the "@query" being typed at the caret and
// replace it with the token the server parses, @[Display Name](user:ID).

const QUERY = /(^|[^\p{L}\p{N}_@#/.])@([\p{L}\p{N}_][\p{L}\p{N}_.-]{0,40})?$/u;

/** The mention being typed before caret: {start, query} (query may be ''), or null. */
export function activeMention(text, caret = text.length) {
  const before = text.slice(0, caret);
  const m = QUERY.exec(before);
  if (!m) return null;
  return { start: m.index + m[1].length, query: m[2] || '' };
}

/** The token for a person; brackets in a name would end the token early, so they are dropped. */
export function mentionToken(person) {
  const name = String(person.name || '').replace(/[[\]()\n]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || 'someone';
  return `@[${name}](user:${Number(person.id)})`;
}

/** Replace the mention being typed with person's token plus a space: {text, caret}. */
export function insertMention(text, caret, person) {
  const active = activeMention(text, caret);
  const start = active ? active.start : caret;
  const token = `${mentionToken(person)} `;
  const after = text.slice(caret).replace(/^\s/, '');
  return { text: text.slice(0, start) + token + after, caret: start + token.length };
}
