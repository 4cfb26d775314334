// The views batch: one entry per post, watch time only when it grew, failures sent again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playClock, playedSeconds, viewQueue, MAX_BATCH } from '../../pwa/js/lib/view-queue.js';

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

test('playClock counts the time played, not the position, and loops add up', () => {
  const clock = playClock();
  clock.mark(0, 0);
  clock.tick(0.25, 2, 250);
  clock.tick(1.5, 2, 1500);
  clock.tick(1.9, 2, 1900);
  clock.tick(0.1, 2, 2100); // looped: the last 0.1 s and the first 0.1 s
  clock.tick(1.1, 2, 3100);
  assert.ok(Math.abs(clock.total - 3.1) < 1e-9, String(clock.total));
  assert.ok(Math.abs(clock.take() - 3.1) < 1e-9);
  clock.tick(1.6, 2, 3600);
  assert.ok(Math.abs(clock.take() - 0.5) < 1e-9, 'take() returns what played since the last take');
  assert.equal(clock.take(), 0);
});

test('playClock: a pause, a seek or a new source counts nothing', () => {
  const clock = playClock();
  clock.mark(0, 0);
  clock.tick(1, 10, 1000);
  clock.tick(1, 10, 61000); // paused for a minute
  clock.tick(8, 10, 61100); // jumped ahead further than the time that passed
  clock.tick(8.2, 10, 61300);
  assert.ok(Math.abs(clock.total - 1.2) < 1e-9, String(clock.total));
  clock.mark(0, 70000); // the element got a new source
  clock.tick(0.3, 10, 70300);
  assert.ok(Math.abs(clock.total - 1.5) < 1e-9, String(clock.total));
  clock.tick(0.1, NaN, 70500); // backwards without a known length: not a loop
  assert.ok(Math.abs(clock.total - 1.5) < 1e-9);
});

test('played(): a looping clip reported in parts adds up to every loop it played, across players', () => {
  // A 2-second clip looping in a feed card: 2.5 loops, reported when it pauses and when the screen closes.
  const q = viewQueue();
  const card = playClock();
  card.mark(0, 0);
  for (let ms = 250; ms <= 5000; ms += 250) card.tick((ms / 1000) % 2, 2, ms);
  assert.equal(q.played(4, card.take(), 2), true);
  assert.deepEqual(q.take(), [{ post_id: 4, watched_seconds: 5, duration: 2 }]);
  // The same post in the Videos pager (another element, another clock): its seconds add to the total.
  const pager = playClock();
  pager.mark(0, 10000);
  for (let ms = 10250; ms <= 13000; ms += 250) pager.tick(((ms - 10000) / 1000) % 2, 2, ms);
  assert.equal(q.played(4, pager.take(), 2), true);
  assert.deepEqual(q.take(), [{ post_id: 4, watched_seconds: 8, duration: 2 }]);
  // Nothing more played: nothing to send.
  assert.equal(q.played(4, pager.take(), 2), false);
  assert.equal(q.played(4, -3, 2), false, 'a negative figure adds nothing');
  assert.equal(q.size, 0);
});
