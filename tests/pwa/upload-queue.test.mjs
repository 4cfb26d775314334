// The composer's attachment queue: limits in words, order, progress, when Post is allowed,
// the request body, and the draft round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as q from '../../pwa/js/lib/upload-queue.js';

const photo = (name = 'a.jpg', size = 100) => ({ name, type: 'image/jpeg', size });
const video = (name = 'clip.mp4', size = 1000) => ({ name, type: 'video/mp4', size });
let n = 0;
const key = () => `k${(n += 1)}`;

test('kindOf uses the MIME type, then the file name', () => {
  assert.equal(q.kindOf({ type: 'video/quicktime', name: 'x' }), 'video');
  assert.equal(q.kindOf({ type: 'image/heic', name: 'x' }), 'image');
  assert.equal(q.kindOf({ type: '', name: 'IMG_0001.HEIC' }), 'image');
  assert.equal(q.kindOf({ type: '', name: 'VID.MOV' }), 'video');
  assert.equal(q.kindOf({ type: 'application/pdf', name: 'cv.pdf' }), null);
});

test('photos are added in order, queued, with empty alt text', () => {
  const { queue, added, error } = q.addFiles(q.emptyQueue(), [photo('1.jpg'), photo('2.jpg')], key);
  assert.equal(error, null);
  assert.equal(added.length, 2);
  assert.deepEqual(queue.items.map((i) => [i.name, i.kind, i.state, i.alt, i.uploadId]),
    [['1.jpg', 'image', 'queued', '', null], ['2.jpg', 'image', 'queued', '', null]]);
});

test('one video or up to 20 photos, never both', () => {
  const withPhoto = q.addFiles(q.emptyQueue(), [photo()], key).queue;
  const mixed = q.addFiles(withPhoto, [video()], key);
  assert.equal(mixed.error.key, 'compose.oneVideo');
  assert.equal(mixed.queue, withPhoto, 'nothing added');
  const withVideo = q.addFiles(q.emptyQueue(), [video()], key).queue;
  assert.equal(q.addFiles(withVideo, [video('b.mp4')], key).error.key, 'compose.oneVideo');
  assert.equal(q.addFiles(q.emptyQueue(), [video(), video('b.mp4')], key).error.key, 'compose.oneVideo');
  assert.equal(q.addFiles(withVideo, [photo()], key).error.key, 'compose.oneVideo');
});

test('more than 20 photos: the first ones fit, the rest are named as left out', () => {
  const files = Array.from({ length: 23 }, (_, i) => photo(`${i}.jpg`));
  const { queue, error } = q.addFiles(q.emptyQueue(), files, key);
  assert.equal(queue.items.length, q.MAX_PHOTOS);
  assert.deepEqual(error, { key: 'compose.tooManyPhotos', params: { max: 20, n: 3 } });
  assert.equal(queue.items.at(-1).name, '19.jpg');
});

test('a file that is neither photo nor video is refused by name', () => {
  const { error, added } = q.addFiles(q.emptyQueue(), [photo(), { name: 'notes.txt', type: 'text/plain', size: 3 }], key);
  assert.deepEqual(error, { key: 'compose.unsupported', params: { name: 'notes.txt' } });
  assert.equal(added.length, 0);
});

test('moveItem moves left and right and ignores the edges; removeItem', () => {
  let { queue } = q.addFiles(q.emptyQueue(), [photo('a'), photo('b'), photo('c')].map((p) => ({ ...p, name: `${p.name}.jpg` })), key);
  const [a, b, c] = queue.items.map((i) => i.key);
  queue = q.moveItem(queue, c, -1);
  assert.deepEqual(queue.items.map((i) => i.key), [a, c, b]);
  assert.equal(q.moveItem(queue, a, -1), queue);
  assert.equal(q.moveItem(queue, b, 1), queue);
  queue = q.moveItem(queue, a, 1);
  assert.deepEqual(queue.items.map((i) => i.key), [c, a, b]);
  assert.deepEqual(q.removeItem(queue, a).items.map((i) => i.key), [c, b]);
});

test('progress fraction and the upload id from the tus Location', () => {
  assert.equal(q.fraction({ state: 'uploading', sent: 25, size: 100 }), 0.25);
  assert.equal(q.fraction({ state: 'done', sent: 0, size: 0 }), 1);
  assert.equal(q.fraction({ state: 'queued', sent: 0, size: 0 }), 0);
  assert.equal(q.uploadIdFromUrl('http://h/api/uploads/abc123'), 'abc123');
  assert.equal(q.uploadIdFromUrl('/api/uploads/abc123/'), 'abc123');
  assert.equal(q.uploadIdFromUrl('/api/uploads/a%20b?x=1'), 'a b');
  assert.equal(q.uploadIdFromUrl(null), null);
});

test('Post waits for every upload, refuses failed ones, allows media without text', () => {
  let { queue } = q.addFiles(q.emptyQueue(), [photo('1.jpg'), photo('2.jpg')], key);
  const [first, second] = queue.items.map((i) => i.key);
  assert.deepEqual(q.postState(q.emptyQueue(), ''), { ready: false, reason: null });
  assert.deepEqual(q.postState(q.emptyQueue(), 'hello'), { ready: true, reason: null });
  assert.deepEqual(q.postState(queue, 'hello'), { ready: false, reason: 'compose.waitUploads' });
  queue = q.updateItem(queue, first, { state: 'done', uploadId: 'u1' });
  queue = q.updateItem(queue, second, { state: 'failed', error: 'x' });
  assert.deepEqual(q.postState(queue, ''), { ready: false, reason: 'compose.fixUploads' });
  queue = q.updateItem(queue, second, { state: 'done', uploadId: 'u2' });
  assert.deepEqual(q.postState(queue, ''), { ready: true, reason: null });
  assert.equal(q.postState(queue, 'x'.repeat(5001)).ready, false);
});

test('the payload keeps the shown order and the photos\' alt texts', () => {
  let { queue } = q.addFiles(q.emptyQueue(), [photo('1.jpg'), photo('2.jpg')], key);
  const [first, second] = queue.items.map((i) => i.key);
  queue = q.updateItem(queue, first, { state: 'done', uploadId: 'u1', alt: '  A red door ' });
  queue = q.updateItem(queue, second, { state: 'done', uploadId: 'u2' });
  queue = q.moveItem(queue, second, -1);
  assert.deepEqual(q.postPayload(queue, 'Look'), { body: 'Look', upload_ids: ['u2', 'u1'], alt_texts: ['', 'A red door'] });
  assert.deepEqual(q.postPayload(q.emptyQueue(), 'Text only'), { body: 'Text only' });
});

test('a draft round trip: finished uploads stay finished, the rest queue again, lost files drop', () => {
  let { queue } = q.addFiles(q.emptyQueue(), [photo('1.jpg', 10), photo('2.jpg', 20), photo('3.jpg', 30)], key);
  const [a, b, c] = queue.items.map((i) => i.key);
  queue = q.updateItem(queue, a, { state: 'done', uploadId: 'u1', sent: 10, alt: 'Alt' });
  queue = q.updateItem(queue, b, { state: 'uploading', sent: 7 });
  const record = q.draftRecord(queue, 'Body');
  assert.equal(record.body, 'Body');
  assert.deepEqual(Object.keys(record.items[0]).sort(), ['alt', 'key', 'kind', 'name', 'size', 'type', 'uploadId']);
  const restored = q.restoreQueue(structuredClone(record), (k) => k !== c);
  assert.deepEqual(restored.items.map((i) => [i.key, i.state, i.sent, i.alt, i.uploadId]),
    [[a, 'done', 10, 'Alt', 'u1'], [b, 'queued', 0, '', null]]);
  assert.deepEqual(q.restoreQueue(null).items, []);
});
