import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routeHash, navTab, PUBLIC_ROUTES } from '../../pwa/js/lib/router.js';

test('simple routes', () => {
  for (const name of ['feed', 'videos', 'new', 'notifications', 'profile']) {
    assert.deepEqual(parseRoute(`#/${name}`), { name });
  }
});

test('routes with an id, decoded', () => {
  assert.deepEqual(parseRoute('#/people/12'), { name: 'people', id: '12' });
  assert.deepEqual(parseRoute('#/post/7'), { name: 'post', id: '7' });
  assert.deepEqual(parseRoute('#/join/abc-DEF_123'), { name: 'join', id: 'abc-DEF_123' });
  assert.deepEqual(parseRoute('#/reset/abc-DEF_123'), { name: 'reset', id: 'abc-DEF_123' });
  assert.deepEqual(parseRoute('#/tag/Qualit%C3%A4t'), { name: 'tag', id: 'Qualität' });
});

test('unknown, empty or malformed routes fall back to the feed', () => {
  for (const hash of ['', '#', '#/', '#/nope', '#/people', '#/people/', '#/feed/3', '#/tag/%E0%A4%A', '#/reset', '#/accounts/3']) {
    assert.deepEqual(parseRoute(hash), { name: 'feed' }, hash);
  }
});

test('routeHash round-trips through parseRoute', () => {
  assert.equal(routeHash('feed'), '#/feed');
  assert.equal(routeHash('people', 5), '#/people/5');
  assert.deepEqual(parseRoute(routeHash('tag', 'a/b c')), { name: 'tag', id: 'a/b c' });
});

test('navigation tab of a route', () => {
  assert.equal(navTab({ name: 'new' }), 'new');
  assert.equal(navTab({ name: 'post', id: '1' }), 'feed');
  assert.equal(navTab({ name: 'people', id: '1' }), null);
  assert.ok(PUBLIC_ROUTES.has('join'));
  assert.ok(PUBLIC_ROUTES.has('reset')); // someone who forgot their password is signed out
  assert.ok(!PUBLIC_ROUTES.has('feed'));
  assert.ok(!PUBLIC_ROUTES.has('accounts'));
  assert.deepEqual(parseRoute('#/accounts'), { name: 'accounts' });
  assert.equal(navTab({ name: 'accounts' }), 'profile'); // the admins' People screen is opened from the profile
});

test('routeQuery reads the query of a hash route', async () => {
  const { routeQuery, parseRoute } = await import('../../pwa/js/lib/router.js');
  assert.equal(routeQuery('#/new?share=failed').get('share'), 'failed');
  assert.equal(routeQuery('#/new').get('share'), null);
  assert.equal(routeQuery('').get('share'), null);
  assert.deepEqual(parseRoute('#/new?share=received'), { name: 'new' });
});
