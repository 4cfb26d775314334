import test from 'node:test';
import assert from 'node:assert/strict';
import { splitNames, announcementPayload, mustReadModel, localToIso } from '../../pwa/js/lib/announce-model.js';

test('names split on commas and lines, blanks and repeats dropped', () => {
  assert.deepEqual(splitNames('Sales, support\n\n Support ,Ops'), ['Sales', 'support', 'Ops']);
  assert.deepEqual(splitNames(''), []);
});

test('the payload: everyone by default, one audience kind, schedule and pin end with a time zone', () => {
  assert.deepEqual(announcementPayload({ body: ' Hi ', when: 'now' }),
    { body: 'Hi', pinned: false, must_read: false, audience: { everyone: true } });
  const p = announcementPayload({
    body: 'x', pinned: true, pinnedUntil: '2030-03-09T08:00', mustRead: true, audienceKind: 'locations',
    names: 'Berlin, Hamburg', when: 'later', publishAt: '2030-03-02T08:00',
  });
  assert.deepEqual(p.audience, { locations: ['Berlin', 'Hamburg'] });
  assert.equal(p.publish_at, new Date('2030-03-02T08:00').toISOString());
  assert.match(p.pinned_until, /Z$/);
  assert.equal(p.must_read, true);
  // An end date without a pin is not sent; "now" ignores a leftover time.
  const q = announcementPayload({ body: 'x', pinned: false, pinnedUntil: '2030-03-09T08:00', when: 'now', publishAt: '2030-01-01T00:00' });
  assert.equal(q.pinned_until, undefined);
  assert.equal(q.publish_at, undefined);
  assert.equal(localToIso('not a date'), null);
});

test('a must-read offers Got it, asks to watch a video first, and says when it is done', () => {
  const base = { must_read: true, announcement: true, status: 'published', kind: 'text', author: { id: 1 } };
  assert.deepEqual(mustReadModel(base, 2), { state: 'ready' });
  assert.deepEqual(mustReadModel({ ...base, acknowledged: true }, 2), { state: 'done' });
  assert.deepEqual(mustReadModel({ ...base, kind: 'video', watched: 0.5 }, 2), { state: 'watch' });
  assert.deepEqual(mustReadModel({ ...base, kind: 'video', watched: 0.8 }, 2), { state: 'ready' });
  assert.equal(mustReadModel(base, 1), null); // its author
  assert.equal(mustReadModel({ ...base, must_read: false }, 2), null);
  assert.equal(mustReadModel({ ...base, status: 'scheduled' }, 2), null);
});
