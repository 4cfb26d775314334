import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../pwa/js/intl/en.js';
import { de } from '../../pwa/js/intl/de.js';
import { t, pickLanguage, setLanguage, getLanguage, format, formatNumber } from '../../pwa/js/lib/i18n.js';

// Keys, plural forms and placeholders of the tables are checked in strings.test.mjs.

test('the accessible names of DESIGN.md are the English strings', () => {
  const names = {
    'signin.email': 'Email', 'signin.password': 'Password', 'signin.submit': 'Sign in',
    'nav.feed': 'Feed', 'nav.videos': 'Videos', 'nav.new': 'New post',
    'nav.notifications': 'Notifications', 'nav.profile': 'Profile',
    'compose.media': 'Add photos or video', 'compose.message': 'Message', 'compose.submit': 'Post',
    'post.like': 'Like', 'post.comment': 'Comment', 'post.share': 'Share',
    'post.pin': 'Pin', 'post.unpin': 'Unpin', 'post.pinned': 'Pinned',
    'join.submit': 'Create account', 'offline.banner': 'You are offline — showing what was loaded last',
  };
  for (const [key, name] of Object.entries(names)) assert.equal(en[key], name, key);
});

test('German translates the navigation', () => {
  assert.equal(t('nav.new', {}, 'de'), 'Neuer Beitrag');
  assert.notEqual(de['signin.submit'], en['signin.submit']);
});

test('pickLanguage: stored choice, then profile, then browser, then English', () => {
  assert.equal(pickLanguage({ stored: 'de', profile: 'en', browser: 'en-US' }), 'de');
  assert.equal(pickLanguage({ stored: null, profile: 'de', browser: 'en-US' }), 'de');
  assert.equal(pickLanguage({ browser: ['fr-FR', 'de-AT'] }), 'de');
  assert.equal(pickLanguage({ browser: 'de_CH' }), 'de');
  assert.equal(pickLanguage({ stored: 'xx', browser: 'fr' }), 'en');
  assert.equal(pickLanguage(), 'en');
});

test('t formats, falls back to English and then to the key', () => {
  setLanguage('de');
  assert.equal(getLanguage(), 'de');
  assert.equal(t('compose.tooLong', { over: 3 }), '3 Zeichen zu viel.');
  assert.equal(t('no.such.key'), 'no.such.key');
  setLanguage('xx');
  assert.equal(getLanguage(), 'en');
  assert.equal(t('nav.feed'), 'Feed');
  assert.equal(t('nav.feed', {}, 'xx'), 'Feed');
});

test('format leaves unknown placeholders visible', () => {
  assert.equal(format('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('numbers use the language\'s grouping', () => {
  assert.equal(formatNumber(5000, 'en'), '5,000');
  assert.equal(formatNumber(5000, 'de'), '5.000');
});
