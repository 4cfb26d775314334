// "5 minutes ago" / "vor 5 Minuten" for recent times, a short date for older ones.

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Building an Intl formatter costs about a millisecond on a phone; a feed page asks for dozens.
const formatters = new Map();
function cached(Kind, lang, options) {
  const key = `${Kind.name} ${lang} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Kind(lang, options));
  return formatters.get(key);
}

/** Seconds between two instants, positive for the past; NaN for an unparsable date. */
export function secondsAgo(iso, now = Date.now()) {
  const then = new Date(iso).getTime();
  return (now - then) / 1000;
}

/** A short human string for an ISO timestamp; justNow is the localized "just now". */
export function relativeTime(iso, { now = Date.now(), lang = 'en', justNow = 'just now' } = {}) {
  const diff = secondsAgo(iso, now);
  if (Number.isNaN(diff)) return '';
  if (diff < 45) return justNow; // also covers a slightly fast server clock
  const rtf = cached(Intl.RelativeTimeFormat, lang, { numeric: 'auto', style: 'long' });
  if (diff < HOUR) return rtf.format(-Math.max(1, Math.round(diff / MINUTE)), 'minute');
  if (diff < DAY) return rtf.format(-Math.round(diff / HOUR), 'hour');
  if (diff < 7 * DAY) return rtf.format(-Math.round(diff / DAY), 'day');
  return shortDate(iso, { now, lang });
}

/** "12 Mar" this year, "12 Mar 2024" for other years. */
export function shortDate(iso, { now = Date.now(), lang = 'en' } = {}) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  const options = sameYear
    ? { day: 'numeric', month: 'short' }
    : { day: 'numeric', month: 'short', year: 'numeric' };
  return cached(Intl.DateTimeFormat, lang, options).format(date);
}

/** Full date and time for tooltips and the <time> title. */
export function fullDate(iso, lang = 'en') {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return cached(Intl.DateTimeFormat, lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
