import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withQuery, feedPath, isFirstFeedPage, appLink } from '../../pwa/js/lib/urls.js';

test('withQuery leaves out empty parameters and encodes values', () => {
  assert.equal(withQuery('/api/people', {}), '/api/people');
  assert.equal(withQuery('/api/people', { q: 'Anna Lena', cursor: null, x: '' }), '/api/people?q=Anna+Lena');
});

test('feedPath', () => {
  assert.equal(feedPath(), '/api/feed');
  assert.equal(feedPath({ cursor: 'a+b/c=' }), '/api/feed?cursor=a%2Bb%2Fc%3D');
  assert.equal(feedPath({ author: 3, limit: 10 }), '/api/feed?author=3&limit=10');
});

test('only the main feed\'s first page counts as first page', () => {
  assert.ok(isFirstFeedPage('/api/feed'));
  assert.ok(isFirstFeedPage('http://h/api/feed?limit=20'));
  assert.ok(!isFirstFeedPage('/api/feed?cursor=abc'));
  assert.ok(!isFirstFeedPage('/api/feed?author=3'));
  assert.ok(!isFirstFeedPage('/api/feed?kind=video'));
  assert.ok(!isFirstFeedPage('/api/me'));
});

test('appLink replaces the hash of the current address', () => {
  assert.equal(appLink('https://hall.example/#/profile', '#/post/9'), 'https://hall.example/#/post/9');
  assert.equal(appLink('http://127.0.0.1:8000/', '#/join/tok'), 'http://127.0.0.1:8000/#/join/tok');
});
