// Composer and profile-form rules that do not need the DOM.

export const MAX_POST_LENGTH = 5000;

/** Characters as the server counts them (code points, not UTF-16 units). */
export function countChars(text) {
  return [...String(text ?? '')].length;
}

/** Counter state for the composer. */
export function composerState(text, max = MAX_POST_LENGTH) {
  const count = countChars(text);
  const blank = String(text ?? '').trim() === '';
  return { count, max, over: Math.max(0, count - max), valid: !blank && count <= max };
}

/** "design, Python , , SQL" -> ["design", "Python", "SQL"], without duplicates. */
export function parseTags(input) {
  const seen = new Set();
  const tags = [];
  for (const part of String(input ?? '').split(',')) {
    const tag = part.trim().replace(/\s+/g, ' ');
    const key = tag.toLowerCase();
    if (tag && !seen.has(key)) {
      seen.add(key);
      tags.push(tag);
    }
  }
  return tags;
}

export function formatTags(tags) {
  return (tags || []).join(', ');
}

/** Read a cookie from a document.cookie string. */
export function readCookie(cookieString, name) {
  for (const part of String(cookieString || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return null;
}
