// Language choice and string lookup. No DOM access: main.js applies the result to <html lang>.
import { STRINGS } from './strings.js';

export const LANGUAGES = ['en', 'de'];
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

/** Strings of a screen loaded on demand join the table when its module loads (keeps the first load small). */
export function addStrings(more) {
  for (const lang of Object.keys(more)) Object.assign(STRINGS[lang] ||= {}, more[lang]);
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

/** The string for key in the current (or given) language, falling back to English, then the key. */
export function t(key, params, lang = current) {
  const table = STRINGS[lang] || STRINGS[DEFAULT_LANGUAGE];
  const template = table[key] ?? STRINGS[DEFAULT_LANGUAGE][key] ?? key;
  return format(template, params);
}

const numberFormats = new Map();

/** Numbers formatted for the current language (5,000 / 5.000). */
export function formatNumber(n, lang = current) {
  if (!numberFormats.has(lang)) numberFormats.set(lang, new Intl.NumberFormat(lang)); // costly to build
  return numberFormats.get(lang).format(n);
}
