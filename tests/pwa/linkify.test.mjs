import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkify, trimUrl, safeHref } from '../../pwa/js/lib/linkify.js';

const types = (text) => linkify(text).map((t) => t.type);
const links = (text) => linkify(text).filter((t) => t.type !== 'text');

test('plain text is one text token; empty and non-strings give none', () => {
  assert.deepEqual(linkify('hello world'), [{ type: 'text', text: 'hello world' }]);
  assert.deepEqual(linkify(''), []);
  assert.deepEqual(linkify(null), []);
});

test('tokens concatenate back to the original text', () => {
  const text = 'See https://example.com/a?b=1, ask @anna.k or #design!\nwww.example.org.';
  assert.equal(linkify(text).map((t) => t.text).join(''), text);
});

test('http, https and www URLs become links', () => {
  assert.deepEqual(links('go https://example.com/x?y=1#z now'), [
    { type: 'url', text: 'https://example.com/x?y=1#z', href: 'https://example.com/x?y=1#z' },
  ]);
  assert.equal(links('http://intranet.local/wiki')[0].href, 'http://intranet.local/wiki');
  assert.deepEqual(links('visit www.example.org today'), [
    { type: 'url', text: 'www.example.org', href: 'https://www.example.org/' },
  ]);
});

test('trailing punctuation is not part of a URL', () => {
  for (const end of ['.', ',', '!', '?', ':', ';', '…', '"', "'"]) {
    assert.equal(links(`see https://example.com/page${end}`)[0].text, 'https://example.com/page', end);
  }
  assert.equal(links('(https://example.com/a)')[0].text, 'https://example.com/a');
  assert.equal(links('end https://example.com/a).')[0].text, 'https://example.com/a');
});

test('balanced parentheses inside a URL are kept', () => {
  const url = 'https://en.wikipedia.org/wiki/Mercury_(planet)';
  assert.equal(links(`read ${url}.`)[0].text, url);
  assert.equal(trimUrl(`${url})`), url);
});

test('javascript:, data: and other schemes are never linked', () => {
  for (const text of [
    'javascript:alert(1)',
    'click javascript:alert(document.cookie) now',
    'JaVaScRiPt:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
  ]) {
    assert.deepEqual(types(text).filter((t) => t === 'url'), [], text);
  }
  assert.equal(safeHref('javascript:alert(1)'), null);
  assert.equal(safeHref('https://'), null);
});

test('a javascript: URL hidden after http:// is not linked as javascript', () => {
  const tokens = links('http://javascript:alert(1)');
  for (const t of tokens) {
    if (t.type === 'url') assert.match(t.href, /^https?:\/\//);
  }
});

test('HTML in the text stays text', () => {
  const text = '<img src=x onerror=alert(1)> <script>alert(2)</script>';
  assert.deepEqual(linkify(text), [{ type: 'text', text }]);
});

test('@mentions', () => {
  assert.deepEqual(links('thanks @anna and @Jörg.Müller!'), [
    { type: 'mention', text: '@anna', name: 'anna' },
    { type: 'mention', text: '@Jörg.Müller', name: 'Jörg.Müller' },
  ]);
  assert.deepEqual(links('@start of text'), [{ type: 'mention', text: '@start', name: 'start' }]);
  assert.deepEqual(links('mail anna@example.com please'), []);
  assert.deepEqual(links('just @ alone'), []);
  assert.equal(links('ask @bob.')[0].name, 'bob');
});

test('#hashtags', () => {
  assert.deepEqual(links('#launch day #Qualität_2025'), [
    { type: 'hashtag', text: '#launch', tag: 'launch' },
    { type: 'hashtag', text: '#Qualität_2025', tag: 'Qualität_2025' },
  ]);
  assert.deepEqual(links('issue #42 is numeric'), []);
  assert.deepEqual(links('page#anchor and &#39;'), []);
  assert.equal(links('#tag, more')[0].tag, 'tag');
});

test('mentions and hashtags inside a URL stay part of the URL', () => {
  const text = 'https://example.com/@anna/#section';
  assert.deepEqual(types(text), ['url']);
});

test('a very long hashtag is capped, not dropped', () => {
  const long = 'a'.repeat(500);
  const tag = links(`#${long}`)[0];
  assert.equal(tag.type, 'hashtag');
  assert.equal(tag.tag.length, 100);
});
