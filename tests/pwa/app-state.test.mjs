import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  store, rememberMe, rememberedMe, storedLanguage, storeLanguage, clearApiCache, API_CACHE,
} from '../../pwa/js/actions/app-state.js';

function memoryStorage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
    data,
  };
}

beforeEach(() => {
  globalThis.localStorage = memoryStorage();
});

test('the last account is remembered for offline starts and forgotten on null', () => {
  assert.equal(rememberedMe(), null);
  rememberMe({ id: 1, name: 'Ada', role: 'admin' });
  assert.deepEqual(rememberedMe(), { id: 1, name: 'Ada', role: 'admin' });
  rememberMe(null);
  assert.equal(rememberedMe(), null);
});

test('a corrupt stored account reads as nobody', () => {
  localStorage.setItem('hallway.me', '{not json');
  assert.equal(rememberedMe(), null);
});

test('language choice is kept per device', () => {
  assert.equal(storedLanguage(), null);
  storeLanguage('de');
  assert.equal(storedLanguage(), 'de');
});

test('clearApiCache deletes only the API cache, and copes without Cache Storage', async () => {
  const deleted = [];
  globalThis.caches = { delete: async (name) => { deleted.push(name); return true; } };
  await clearApiCache();
  assert.deepEqual(deleted, [API_CACHE]);
  globalThis.caches = { delete: async () => { throw new Error('SecurityError'); } };
  await clearApiCache();
  delete globalThis.caches;
  await clearApiCache();
});

test('the store starts signed out and online', () => {
  assert.equal(store.get().me, null);
  assert.equal(store.get().online, true);
});
