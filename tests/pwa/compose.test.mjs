import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countChars, composerState, parseTags, formatTags, readCookie, MAX_POST_LENGTH } from '../../pwa/js/lib/compose.js';

test('characters are counted as code points, like the server', () => {
  assert.equal(countChars('abc'), 3);
  assert.equal(countChars('👍🏽'), 2); // emoji + skin tone modifier: two code points, four UTF-16 units
  assert.equal(countChars(null), 0);
});

test('composer state: blank and too long are not postable', () => {
  assert.deepEqual(composerState('hi'), { count: 2, max: MAX_POST_LENGTH, over: 0, valid: true });
  assert.equal(composerState('   \n ').valid, false);
  const long = composerState('x'.repeat(MAX_POST_LENGTH + 3));
  assert.equal(long.over, 3);
  assert.equal(long.valid, false);
  assert.equal(composerState('x'.repeat(MAX_POST_LENGTH)).valid, true);
});

test('expertise tags from comma-separated input', () => {
  assert.deepEqual(parseTags(' design, Python ,, SQL ,python,  data   science '), ['design', 'Python', 'SQL', 'data science']);
  assert.deepEqual(parseTags(''), []);
  assert.equal(formatTags(['a', 'b c']), 'a, b c');
  assert.equal(formatTags(undefined), '');
});

test('readCookie', () => {
  const cookies = 'a=1; csrftoken=abc%3D; other=x=y';
  assert.equal(readCookie(cookies, 'csrftoken'), 'abc=');
  assert.equal(readCookie(cookies, 'other'), 'x=y');
  assert.equal(readCookie(cookies, 'missing'), null);
  assert.equal(readCookie('', 'a'), null);
  assert.equal(readCookie('bad=%E0%A4%A', 'bad'), '%E0%A4%A');
});
