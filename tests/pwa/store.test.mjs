import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../pwa/js/lib/store.js';
import { initials, hueFor } from '../../pwa/js/lib/avatar.js';

test('store notifies subscribers with new and previous state', () => {
  const store = createStore({ a: 1, b: 2 });
  const seen = [];
  const off = store.subscribe((state, prev) => seen.push([state.a, prev.a]));
  store.set({ a: 5 });
  assert.deepEqual(store.get(), { a: 5, b: 2 });
  off();
  store.set({ a: 6 });
  assert.deepEqual(seen, [[5, 1]]);
});

test('initials', () => {
  assert.equal(initials('Anna-Lena Schmidt'), 'AS');
  assert.equal(initials('cher'), 'C');
  assert.equal(initials('  Ölaf   van  Ärger '), 'ÖÄ');
  assert.equal(initials(''), '?');
  assert.equal(initials(undefined), '?');
});

test('hue is stable and in range', () => {
  assert.equal(hueFor(42), hueFor('42'));
  for (const id of [0, 1, 99999, 'x']) {
    const h = hueFor(id);
    assert.ok(h >= 0 && h < 360);
  }
});
