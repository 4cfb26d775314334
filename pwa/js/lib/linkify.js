// Turns plain post text into tokens; the renderer builds DOM nodes from them with
// textContent, so user text is never parsed as HTML.

// A URL starts with http(s):// or www. and runs to the next whitespace; other schemes
// (javascript:, data:, …) never match, so they stay plain text.
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
// @mention / #hashtag only after start of text or a character that is not part of a word,
// so "anna@example.com" and "page#anchor" stay text.
const MENTION_RE = /(^|[^\p{L}\p{N}_@#/.])@([\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63})/gu;
// The token the autocomplete inserts (server/social/parsing.py): @[Display Name](user:42).
const TOKEN_RE = /@\[([^[\]\n]{1,100})\]\(user:(\d{1,12})\)/gu;
const HASHTAG_RE = /(^|[^\p{L}\p{N}_@#/&])#([\p{L}\p{N}_]{1,100})/gu;

const TRAILING = /[.,;:!?'"…]$/u;

export const MAX_TAG_LENGTH = 100;

/** Strip punctuation that ends a sentence rather than the URL; keep balanced brackets. */
export function trimUrl(raw) {
  let url = raw;
  for (;;) {
    if (TRAILING.test(url)) {
      url = url.slice(0, -1);
      continue;
    }
    const last = url.at(-1);
    const pairs = { ')': '(', ']': '[', '}': '{' };
    if (last in pairs) {
      const open = pairs[last];
      const opens = url.split(open).length - 1;
      const closes = url.split(last).length - 1;
      if (closes > opens) {
        url = url.slice(0, -1);
        continue;
      }
    }
    return url;
  }
}

/** The href for a matched URL, or null when it is not a safe http(s) link. */
export function safeHref(text) {
  const candidate = /^www\./i.test(text) ? `https://${text}` : text;
  let parsed;
  try {
    parsed = new URL(candidate);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname) return null;
  return parsed.href;
}

function findUrls(text) {
  const found = [];
  for (const m of text.matchAll(URL_RE)) {
    const raw = trimUrl(m[0]);
    const href = safeHref(raw);
    if (href && raw.length > (raw.startsWith('www.') ? 4 : 8)) {
      found.push({ start: m.index, end: m.index + raw.length, token: { type: 'url', text: raw, href } });
    }
  }
  return found;
}

function findPrefixed(text, re, make) {
  const found = [];
  for (const m of text.matchAll(re)) {
    let word = m[2];
    word = word.replace(/[.-]+$/u, '');
    if (!word) continue;
    const start = m.index + m[1].length;
    const token = make(word);
    if (token) found.push({ start, end: start + 1 + word.length, token });
  }
  return found;
}

/**
 * Split text into tokens: {type: 'text', text}, {type: 'url', text, href},
 * {type: 'mention', text, name, id?}, {type: 'hashtag', text, tag}.
 * A mention token reads "@Display Name" and carries the person's id.
 */
export function linkify(text) {
  if (typeof text !== 'string' || text === '') return [];
  const mentionTokens = [...text.matchAll(TOKEN_RE)].map((m) => ({
    start: m.index, end: m.index + m[0].length,
    token: { type: 'mention', text: `@${m[1]}`, name: m[1], id: Number(m[2]) },
  }));
  const urls = [...mentionTokens, ...findUrls(text).filter((u) => !mentionTokens.some((m) => u.start < m.end && u.end > m.start))];
  const inUrl = (pos) => urls.some((u) => pos >= u.start && pos < u.end);
  const others = [
    ...findPrefixed(text, MENTION_RE, (name) => ({ type: 'mention', text: `@${name}`, name })),
    ...findPrefixed(text, HASHTAG_RE, (tag) =>
      /\p{L}/u.test(tag) ? { type: 'hashtag', text: `#${tag}`, tag } : null),
  ].filter((f) => !inUrl(f.start));
  const matches = [...urls, ...others].sort((a, b) => a.start - b.start);

  const tokens = [];
  let pos = 0;
  for (const m of matches) {
    if (m.start < pos) continue; // overlapping match: the earlier one wins
    if (m.start > pos) tokens.push({ type: 'text', text: text.slice(pos, m.start) });
    tokens.push(m.token);
    pos = m.end;
  }
  if (pos < text.length) tokens.push({ type: 'text', text: text.slice(pos) });
  return tokens;
}
