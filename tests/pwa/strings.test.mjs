// The string tables (pwa/js/intl/, one file per language) against each other and against the
// code under pwa/js: every language has every key, with the plural forms its rules ask for; no
// key is left unused; no key the code asks for is missing from English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { en } from '../../pwa/js/intl/en.js';
import { de } from '../../pwa/js/intl/de.js';
import { LANGUAGES } from '../../pwa/js/lib/i18n.js';
import { KINDS } from '../../pwa/js/lib/reactions-model.js';

const TABLES = { en, de };
const PWA = fileURLToPath(new URL('../../pwa/', import.meta.url));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

// The code that may ask for a string: every module but the tables themselves.
const SOURCES = walk(join(PWA, 'js'))
  .filter((path) => path.endsWith('.js') && !relative(join(PWA, 'js'), path).startsWith('intl'))
  .map((path) => ({ file: relative(PWA, path), text: readFileSync(path, 'utf8') }));
const CODE = SOURCES.map((s) => s.text).join('\n');
const INDEX = readFileSync(join(PWA, 'index.html'), 'utf8');

// Keys the code builds at run time (t(`role.${role}`)): each prefix with every name it can take.
// A new `prefix.${…}` in the code fails the test below until it is listed here.
const DYNAMIC = {
  'nav.': [...INDEX.matchAll(/data-tab="([^"]+)"/g)].map((m) => m[1]), // main.js, from index.html
  'role.': ['admin', 'moderator', 'member'], // profile-view.js's ROLES, the server's roles
  'reaction.': KINDS, // reactions.js, comments-sheet.js
  'feed.': ['company', 'following'], // feed-view.js's scopes
  'push.': ['follows', 'comments_mentions', 'announcements', 'quiet_start', 'quiet_end'], // push-settings.js
  'lang.': LANGUAGES, // profile-view.js
  'compose.share.': ['failed', 'unavailable'], // composer-view.js, from sw.js's share target
};
const DYNAMIC_KEYS = Object.entries(DYNAMIC).flatMap(([prefix, names]) => names.map((name) => prefix + name));

const NAMESPACES = new Set(Object.keys(en).map((key) => key.split('.')[0]));
const texts = (value) => (typeof value === 'string' ? [value] : Object.values(value));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const pluralForms = (lang) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories.sort();

test('there is one table per language, and English is one of them', () => {
  assert.deepEqual(Object.keys(TABLES).sort(), [...LANGUAGES].sort());
  assert.ok(LANGUAGES.includes('en'));
});

test('every language has exactly the English keys', () => {
  const english = Object.keys(en).sort();
  for (const lang of LANGUAGES) {
    const keys = Object.keys(TABLES[lang]);
    assert.deepEqual(english.filter((k) => !keys.includes(k)), [], `missing in ${lang}`);
    assert.deepEqual(keys.filter((k) => !Object.hasOwn(en, k)), [], `only in ${lang}`);
  }
});

test('a string with plural forms has those its language needs, in every language', () => {
  for (const lang of LANGUAGES) {
    const forms = pluralForms(lang);
    for (const [key, value] of Object.entries(TABLES[lang])) {
      assert.equal(typeof value, typeof en[key], `${lang} ${key}: plural in one language, plain in another`);
      if (typeof value === 'string') continue;
      assert.deepEqual(Object.keys(value).sort(), forms, `${lang} ${key} needs the forms ${forms}`);
    }
  }
});

test('translations are not empty and keep the English placeholders', () => {
  for (const lang of LANGUAGES) {
    for (const [key, value] of Object.entries(TABLES[lang])) {
      const english = placeholders(typeof en[key] === 'string' ? en[key] : en[key].other);
      for (const text of texts(value)) {
        assert.equal(typeof text, 'string', `${lang} ${key}`);
        assert.ok(text.trim(), `${lang} ${key} is empty`);
        assert.deepEqual(placeholders(text), english, `${lang} ${key}: "${text}"`);
      }
    }
  }
});

test('every plural is counted by {n}', () => {
  for (const [key, value] of Object.entries(en)) {
    if (typeof value !== 'string') assert.ok(placeholders(value.other).includes('n'), key);
  }
});

test('every key is used by the code under pwa/js', () => {
  const quoted = (key) => [`'${key}'`, `"${key}"`, `\`${key}\``].some((q) => CODE.includes(q));
  const unused = Object.keys(en).filter((key) => !quoted(key) && !DYNAMIC_KEYS.includes(key));
  assert.deepEqual(unused, [], 'keys no code uses: remove them, or list a dynamic prefix here');
});

test('every key the code asks for exists in English', () => {
  const missing = [];
  for (const { file, text } of SOURCES) {
    // Quoted keys of a known namespace ('post.failed' in media-model.js), and whatever t() gets.
    for (const m of text.matchAll(/['"`]([a-z]+(?:\.[a-zA-Z_]+)+)['"`]/g)) {
      if (NAMESPACES.has(m[1].split('.')[0]) && !Object.hasOwn(en, m[1])) missing.push(`${file}: ${m[1]}`);
    }
    for (const m of text.matchAll(/\bt\(\s*['"`]([^'"`$]+)['"`]/g)) {
      if (!Object.hasOwn(en, m[1])) missing.push(`${file}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
  assert.deepEqual(DYNAMIC_KEYS.filter((key) => !Object.hasOwn(en, key)), [], 'a dynamic key is missing');
});

test('every key the code builds at run time has its prefix listed in DYNAMIC', () => {
  const built = [];
  for (const { file, text } of SOURCES) {
    for (const m of text.matchAll(/`([a-z]+\.(?:[a-zA-Z_]+\.)*)\$\{/g)) {
      if (NAMESPACES.has(m[1].split('.')[0]) && !Object.hasOwn(DYNAMIC, m[1])) built.push(`${file}: ${m[1]}…`);
    }
  }
  assert.deepEqual(built, []);
});

test('German addresses the reader as "Sie", never "du"', () => {
  for (const [key, value] of Object.entries(de)) {
    for (const text of texts(value)) assert.doesNotMatch(text, /\b(du|dich|dir|dein\w*)\b/i, key);
  }
});
