// The feed's first page asked for at start: the feed view's first request takes it, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setClient } from '../../pwa/js/api/http.js';
import { getFeed, prefetchFeed } from '../../pwa/js/api/posts.js';

function fakeClient(answer) {
  const calls = [];
  setClient({ get: (path, opts) => { calls.push({ path, opts }); return answer(path, calls.length); } });
  return calls;
}

test('the first main-feed request takes the prefetched page; later ones ask again', async () => {
  const calls = fakeClient((path, n) => Promise.resolve({ items: [{ id: n }], path }));
  prefetchFeed();
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].opts, { unauthorizedIsError: true }); // a 401 here is no expired session
  assert.deepEqual(await getFeed({ cursor: null }), { items: [{ id: 1 }], path: '/api/feed' });
  assert.equal(calls.length, 1);
  await getFeed({});
  assert.equal(calls.length, 2);
});

test('another feed (Following, a filter, a later page) is asked for, and the early page is dropped', async () => {
  const calls = fakeClient((path) => Promise.resolve({ path }));
  prefetchFeed();
  assert.equal((await getFeed({ scope: 'following' })).path, '/api/feed?scope=following');
  await getFeed({});
  assert.equal(calls.length, 3);
});

test('a failed early request is asked again, through the normal path', async () => {
  const calls = fakeClient((path, n) => (n === 1 ? Promise.reject(new Error('401')) : Promise.resolve({ ok: n })));
  prefetchFeed();
  assert.deepEqual(await getFeed({}), { ok: 2 });
  assert.equal(calls[1].opts, undefined);
});
