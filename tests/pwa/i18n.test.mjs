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
  assert.equal(t('compose.tooLong', { n: 3 }), '3 Zeichen zu viel.');
  assert.equal(t('no.such.key'), 'no.such.key');
  setLanguage('xx');
  assert.equal(getLanguage(), 'en');
  assert.equal(t('nav.feed'), 'Feed');
  assert.equal(t('nav.feed', {}, 'xx'), 'Feed');
});

test('t picks the plural form through Intl.PluralRules and formats the count', () => {
  assert.equal(t('ann.reminded', { n: 1 }, 'en'), '1 colleague reminded.');
  assert.equal(t('ann.reminded', { n: 0 }, 'en'), '0 colleagues reminded.');
  assert.equal(t('ann.reminded', { n: 5000 }, 'en'), '5,000 colleagues reminded.');
  assert.equal(t('ann.reminded', { n: 1 }, 'de'), '1 Person erinnert.');
  assert.equal(t('ann.reminded', { n: 5000 }, 'de'), '5.000 Personen erinnert.');
  assert.equal(t('comments.moreReplies', { n: 1 }, 'en'), 'Show 1 more reply');
  assert.equal(t('ann.count', { n: 1, total: '12' }, 'de'), '1 von 12 hat bestätigt');
  assert.equal(t('compose.tooManyPhotos', { n: 2, max: 20 }, 'en'), 'A post has at most 20 photos: 2 were left out.');
});

test('a plural without its count shows the other form with {n} left visible', () => {
  assert.equal(t('follow.followers', {}, 'en'), '{n} followers');
});

test('format leaves unknown placeholders visible', () => {
  assert.equal(format('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('numbers use the language\'s grouping', () => {
  assert.equal(formatNumber(5000, 'en'), '5,000');
  assert.equal(formatNumber(5000, 'de'), '5.000');
});
