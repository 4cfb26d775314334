import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeTime, shortDate, secondsAgo, fullDate } from '../../pwa/js/lib/relative-time.js';

const now = Date.parse('2026-03-15T12:00:00Z');
const ago = (s) => new Date(now - s * 1000).toISOString();

test('just now for under 45 seconds and for a slightly fast server clock', () => {
  assert.equal(relativeTime(ago(10), { now }), 'just now');
  assert.equal(relativeTime(ago(-5), { now, justNow: 'gerade eben' }), 'gerade eben');
});

test('minutes, hours, days in English and German', () => {
  assert.equal(relativeTime(ago(60), { now }), '1 minute ago');
  assert.equal(relativeTime(ago(5 * 60), { now }), '5 minutes ago');
  assert.equal(relativeTime(ago(3 * 3600), { now }), '3 hours ago');
  assert.equal(relativeTime(ago(86400), { now }), 'yesterday');
  assert.equal(relativeTime(ago(3 * 86400), { now }), '3 days ago');
  assert.equal(relativeTime(ago(5 * 60), { now, lang: 'de' }), 'vor 5 Minuten');
  assert.equal(relativeTime(ago(86400), { now, lang: 'de' }), 'gestern');
});

test('older than a week: a short date, with the year only when it differs', () => {
  assert.match(relativeTime('2026-02-01T10:00:00Z', { now }), /Feb/);
  assert.doesNotMatch(shortDate('2026-02-01T10:00:00Z', { now }), /2026/);
  assert.match(shortDate('2024-02-01T10:00:00Z', { now }), /2024/);
});

test('garbage dates give an empty string, not "NaN"', () => {
  assert.equal(relativeTime('not a date', { now }), '');
  assert.equal(shortDate('nope', { now }), '');
  assert.equal(fullDate('nope'), '');
  assert.ok(Number.isNaN(secondsAgo('nope', now)));
});
