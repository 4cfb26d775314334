import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newKey, keyFor } from '../../pwa/js/lib/request-key.js';

test('a key is a random UUID v4, made without crypto.randomUUID (plain http has none)', () => {
  const key = newKey({ getRandomValues: (bytes) => bytes.fill(0xff) });
  assert.equal(key, 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  assert.match(newKey(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(newKey(), newKey());
});

test('a retry of the same post keeps its key; a changed post gets a new one', () => {
  let n = 0;
  const make = () => `k${(n += 1)}`;
  const first = keyFor(null, { body: 'Lunch at noon' }, make);
  assert.equal(first.key, 'k1');
  assert.equal(keyFor(first, { body: 'Lunch at noon' }, make), first, 'the retry after a lost answer');
  const edited = keyFor(first, { body: 'Lunch at one' }, make);
  assert.equal(edited.key, 'k2', 'an edited post is a new request');
  // What the draft store kept (a plain object) works the same after the app was reopened.
  assert.equal(keyFor(JSON.parse(JSON.stringify(edited)), { body: 'Lunch at one' }, make).key, 'k2');
});
