// Language choice and string lookup. No DOM access: main.js applies the result to <html lang>.
// Every language is in the first load, so t() stays synchronous and switching language needs no
// fetch, offline included. Should more languages outgrow the 60 KB budget, import() the chosen
// one and keep English static as the fallback.
import { en } from '../intl/en.js';
import { de } from '../intl/de.js';

const TABLES = { en, de };
export const LANGUAGES = Object.keys(TABLES);
export const DEFAULT_LANGUAGE = 'en';

let current = DEFAULT_LANGUAGE;

/** The language to use: an explicit choice, else the profile's, else the browser's. */
export function pickLanguage({ stored, profile, browser } = {}) {
  for (const candidate of [stored, profile]) {
    if (LANGUAGES.includes(candidate)) return candidate;
  }
  const list = Array.isArray(browser) ? browser : [browser];
  for (const tag of list) {
    const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : DEFAULT_LANGUAGE;
  return current;
}

export function getLanguage() {
  return current;
}

/** Replace {name} placeholders; unknown placeholders stay visible so they get noticed. */
export function format(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole);
}

/**
 * The string for key in the current (or given) language, falling back to English, then the key.
 * A string with plural forms takes the count as params.n, a number: Intl.PluralRules picks the
 * form, and {n} shows the count formatted for the language.
 */
export function t(key, params = {}, lang = current) {
  let from = Object.hasOwn(TABLES, lang) ? lang : DEFAULT_LANGUAGE;
  let entry = TABLES[from][key];
  if (entry === undefined) {
    from = DEFAULT_LANGUAGE;
    entry = TABLES[from][key];
  }
  if (entry === undefined) return key;
  if (typeof entry === 'string') return format(entry, params);
  if (!Object.hasOwn(params, 'n')) return format(entry.other, params); // {n} stays visible
  const n = Number(params.n);
  const form = entry[pluralRules(from).select(n)] ?? entry.other;
  return format(form, { ...params, n: formatNumber(n, from) });
}

// Intl objects are costly to build: one of each per language.
const plurals = new Map();
const numberFormats = new Map();

function pluralRules(lang) {
  if (!plurals.has(lang)) plurals.set(lang, new Intl.PluralRules(lang));
  return plurals.get(lang);
}

/** Numbers formatted for the current language (5,000 / 5.000). */
export function formatNumber(n, lang = current) {
  if (!numberFormats.has(lang)) numberFormats.set(lang, new Intl.NumberFormat(lang));
  return numberFormats.get(lang).format(n);
}
