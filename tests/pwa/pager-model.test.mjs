// The Videos pager's pure decisions: the window of live players, preloading, the rendition for
// the connection, the slide under a scroll position, and what is remembered between visits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../../pwa/js/lib/pager-model.js';

function memoryStorage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
    data,
  };
}

const broken = {
  getItem() { throw new Error('SecurityError'); },
  setItem() { throw new Error('QuotaExceededError'); },
  removeItem() { throw new Error('SecurityError'); },
};

test('only the visible clip and its neighbours hold a player, never more than three', () => {
  assert.deepEqual(m.liveWindow(0, 10), [0, 1]);
  assert.deepEqual(m.liveWindow(5, 10), [4, 5, 6]);
  assert.deepEqual(m.liveWindow(9, 10), [8, 9]);
  assert.deepEqual(m.liveWindow(0, 1), [0]);
  assert.deepEqual(m.liveWindow(0, 0), []);
  for (let active = 0; active < 200; active += 1) assert.ok(m.liveWindow(active, 200).length <= 3);
  assert.deepEqual(m.liveWindow(5, 10, 2), [3, 4, 5, 6, 7]);
});

test('the visible and the next clip load data; the one behind only metadata', () => {
  assert.equal(m.preloadFor(4, 4), 'auto');
  assert.equal(m.preloadFor(5, 4), 'auto');
  assert.equal(m.preloadFor(3, 4), 'metadata');
});

test('Save-Data and 2G/3G connections get the lightest rendition', () => {
  const item = {
    renditions: [
      { name: '720p', url: '/media/720.mp4', width: 720, height: 1280 },
      { name: '360p', url: '/media/360.mp4', width: 360, height: 640 },
    ],
  };
  assert.equal(m.lightConnection(undefined), false);
  assert.equal(m.lightConnection({ effectiveType: '4g' }), false);
  for (const effectiveType of ['slow-2g', '2g', '3g']) assert.equal(m.lightConnection({ effectiveType }), true, effectiveType);
  assert.equal(m.lightConnection({ saveData: true, effectiveType: '4g' }), true);
  assert.equal(m.clipSource(item, { effectiveType: '4g' }).name, '720p');
  assert.equal(m.clipSource(item, undefined).name, '720p');
  assert.equal(m.clipSource(item, { effectiveType: '3g' }).name, '360p');
  assert.equal(m.clipSource(item, { saveData: true }).name, '360p');
  assert.equal(m.clipSource({ renditions: [] }, {}), null);
  assert.equal(m.clipSource(undefined, {}), null);
});

test('the slide under a scroll position rounds to the nearest and stays in range', () => {
  assert.equal(m.indexAt(0, 700, 5), 0);
  assert.equal(m.indexAt(340, 700, 5), 0);
  assert.equal(m.indexAt(360, 700, 5), 1);
  assert.equal(m.indexAt(700 * 9, 700, 5), 4);
  assert.equal(m.indexAt(-50, 700, 5), 0);
  assert.equal(m.indexAt(500, 0, 5), 0, 'a hidden pager has no height');
  assert.equal(m.indexAt(500, 700, 0), 0);
});

test('the position is saved and restored, and garbage reads as nothing', () => {
  const storage = memoryStorage();
  const store = m.positionStore(storage);
  assert.equal(store.load(), null);
  store.save({ id: 42, index: 7, extra: 'dropped' });
  assert.deepEqual(store.load(), { id: 42, index: 7 });
  store.save(null);
  assert.equal(store.load(), null);
  for (const raw of ['{', '"x"', '{"id": 1}', '{"id": 1, "index": -1}', '{"id": 1, "index": 1.5}', '{"index": 2}', 'null']) {
    storage.setItem('hallway.videos.position', raw);
    assert.equal(store.load(), null, raw);
  }
  const unusable = m.positionStore(broken);
  assert.doesNotThrow(() => unusable.save({ id: 1, index: 0 }));
  assert.equal(unusable.load(), null);
});

test('sound stays on once turned on, off by default, and survives broken storage', () => {
  const storage = memoryStorage();
  const sound = m.soundPreference(storage);
  assert.equal(sound.get(), false);
  sound.set(true);
  assert.equal(m.soundPreference(storage).get(), true, 'another pager (a later visit) sees it');
  sound.set(false);
  assert.equal(sound.get(), false);
  assert.equal(storage.data.size, 0);
  const unusable = m.soundPreference(broken);
  assert.doesNotThrow(() => unusable.set(true));
  assert.equal(unusable.get(), false);
});

test('the like button appears only when the server sends reactions', () => {
  assert.equal(m.likeState({ id: 1 }), null);
  assert.equal(m.likeState({ id: 1, reactions: null }), null);
  assert.deepEqual(m.likeState({ reactions: { like: 3, clap: 1 }, my_reactions: ['like'] }), { count: 3, mine: true });
  assert.deepEqual(m.likeState({ reactions: {}, my_reactions: [] }), { count: 0, mine: false });
  assert.deepEqual(m.likeState({ reactions: { like: 2 } }), { count: 2, mine: false });
});
