// The views batch: one entry per post, watch time only when it grew, failures sent again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playedSeconds, viewQueue, MAX_BATCH } from '../../pwa/js/lib/view-queue.js';

const ranges = (...pairs) => ({ length: pairs.length, start: (i) => pairs[i][0], end: (i) => pairs[i][1] });

test('playedSeconds adds up the played ranges, not the position', () => {
  assert.equal(playedSeconds(ranges([0, 2.5], [10, 11])), 3.5);
  assert.equal(playedSeconds(ranges()), 0);
  assert.equal(playedSeconds(undefined), 0);
});

test('a seen post is sent once per batch, with its watch time when a video played', () => {
  const q = viewQueue();
  q.seen(1);
  q.seen(1);
  q.seen(2);
  assert.equal(q.watched(2, 3.04, 12), true);
  assert.deepEqual(q.take(), [{ post_id: 1 }, { post_id: 2, watched_seconds: 3, duration: 12 }]);
  assert.equal(q.size, 0);
});

test('watch time is reported again only when a second more was watched', () => {
  const q = viewQueue();
  assert.equal(q.watched(5, 0, 10), false);
  assert.equal(q.watched(5, 2, 10), true);
  q.take();
  assert.equal(q.watched(5, 2.5, 10), false);
  assert.equal(q.watched(5, 3.2, 10), true);
  assert.deepEqual(q.take(), [{ post_id: 5, watched_seconds: 3.2, duration: 10 }]);
});

test('figures the server would refuse are left out or capped', () => {
  const q = viewQueue();
  q.watched(7, 5, Infinity); // a live stream or unknown length: no duration
  q.watched(8, 1e9, NaN);
  assert.deepEqual(q.take(), [{ post_id: 7, watched_seconds: 5 }, { post_id: 8, watched_seconds: 86400 }]);
});

test('take() respects the batch size and leaves the rest', () => {
  const q = viewQueue();
  for (let id = 1; id <= MAX_BATCH + 5; id += 1) q.seen(id);
  assert.equal(q.take().length, MAX_BATCH);
  assert.equal(q.size, 5);
});

test('a failed batch goes back, and a newer figure for the same post wins', () => {
  const q = viewQueue();
  q.seen(1);
  q.watched(2, 4, 10);
  const failed = q.take();
  q.watched(2, 6, 10);
  q.restore(failed);
  assert.deepEqual(q.take(), [{ post_id: 2, watched_seconds: 6, duration: 10 }, { post_id: 1 }]);
  // After a failure the same figure may be sent again.
  const q2 = viewQueue();
  q2.watched(3, 4, 10);
  q2.restore(q2.take());
  q2.take();
  assert.equal(q2.watched(3, 4.5, 10), false);
});
