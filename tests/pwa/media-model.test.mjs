// Card models: which rendition plays, which image sizes load, what a processing or failed
// post says; and the blurhash decoder against hashes made by media/thumbs.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../../pwa/js/lib/media-model.js';
import { decodeBlurhash, blurhashSize } from '../../pwa/js/lib/blurhash.js';

const r = (name, width, height) => ({ name, url: `/media/${name}.mp4`, width, height, bitrate: 1, mime: 'video/mp4' });

test('the feed plays the largest rendition up to 720p, the lightest on Save-Data', () => {
  const ladder = [r('360p', 360, 640), r('720p', 720, 1280)];
  assert.equal(m.pickRendition(ladder).name, '720p');
  assert.equal(m.pickRendition([...ladder].reverse()).name, '720p');
  assert.equal(m.pickRendition(ladder, { saveData: true }).name, '360p');
  assert.equal(m.pickRendition([r('fast', 1080, 1920)]).name, 'fast', 'fast start: the remux is all there is');
  assert.equal(m.pickRendition([r('fast', 1080, 1920), r('720p', 720, 1280)]).name, '720p');
  assert.equal(m.pickRendition([]), null);
  assert.equal(m.pickRendition([{ name: 'x', url: '' }]), null);
});

test('srcset lists the variants smallest first; src is the largest', () => {
  const variants = [
    { name: '1080', url: '/media/b.webp', width: 1080, height: 720 },
    { name: '320', url: '/media/a.webp', width: 320, height: 213 },
  ];
  assert.equal(m.srcsetOf(variants), '/media/a.webp 320w, /media/b.webp 1080w');
  assert.equal(m.largestVariant(variants).url, '/media/b.webp');
  assert.equal(m.srcsetOf([]), '');
  assert.equal(m.largestVariant(undefined), null);
});

test('aspect ratio is kept between 9:16 and 16:9', () => {
  assert.equal(m.aspectRatio({ width: 720, height: 1280 }), '720 / 1280');
  assert.equal(m.aspectRatio({ width: 100, height: 1000 }), String(Number((9 / 16).toFixed(4))));
  assert.equal(m.aspectRatio({ width: 3000, height: 1000 }), String(Number((16 / 9).toFixed(4))));
  assert.equal(m.aspectRatio({}), '1 / 1');
});

const videoPost = {
  id: 1, kind: 'video', status: 'published', author: { id: 7 }, can_delete: true,
  media: [{ id: 3, kind: 'video', width: 720, height: 1280, poster: '/media/p.webp', blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
    alt: '', loop: false, renditions: [r('720p', 720, 1280), r('360p', 360, 640)], variants: [] }],
};

test('videoModel: poster, blurhash and the 720p file; null without a video', () => {
  const model = m.videoModel(videoPost);
  assert.equal(model.src, '/media/720p.mp4');
  assert.equal(model.poster, '/media/p.webp');
  assert.equal(model.blurhash, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj');
  assert.equal(model.aspect, '720 / 1280');
  assert.equal(m.videoModel({ ...videoPost, media: [] }), null);
});

test('galleryModel keeps the order and the alt texts', () => {
  const post = { kind: 'gallery', media: [
    { id: 1, kind: 'image', alt: 'First', blurhash: '', width: 4, height: 3, variants: [{ url: '/media/1.webp', width: 320, height: 240 }] },
    { id: 2, kind: 'image', alt: '', blurhash: '', width: 3, height: 4, variants: [] },
  ] };
  const slides = m.galleryModel(post);
  assert.deepEqual(slides.map((s) => [s.id, s.alt, s.src, s.srcset]),
    [[1, 'First', '/media/1.webp', '/media/1.webp 320w'], [2, '', null, '']]);
});

test('statusModel: processing for everyone who sees it, Retry only for the author', () => {
  assert.equal(m.statusModel(videoPost, 7), null);
  assert.deepEqual(m.statusModel({ ...videoPost, status: 'processing' }, 7), { state: 'processing', key: 'post.processingVideo' });
  assert.equal(m.statusModel({ ...videoPost, kind: 'gallery', status: 'processing' }, 7).key, 'post.processingPhotos');
  const failed = { ...videoPost, status: 'failed', error: 'This file is not a video we can read.' };
  assert.deepEqual(m.statusModel(failed, 7),
    { state: 'failed', key: 'post.failed', error: 'This file is not a video we can read.', canRetry: true, canDelete: true });
  const asModerator = m.statusModel(failed, 8);
  assert.equal(asModerator.canRetry, false);
  assert.equal(asModerator.canDelete, true);
  assert.equal(m.statusModel({ ...failed, can_delete: false }, null).canDelete, false);
});

// Made with media.thumbs.blurhash_of: a solid (230, 20, 20) image, and blue left / red right.
const SOLID_RED = 'L7QU$x|wfQ|w|wo1fQo1fQfQfQfQ';
const BLUE_RED = 'L~JL|@2NWs,TsXWra}jsfQfQfQfQ';

const at = (pixels, w, x, y) => [...pixels.slice(4 * (x + y * w), 4 * (x + y * w) + 4)];

// Expected pixels from the reference decoder (the blurhash package of woltapp, Python).
test('blurhash: decodes like the reference decoder', () => {
  assert.deepEqual(blurhashSize(SOLID_RED), { x: 4, y: 3 });
  const red = decodeBlurhash(SOLID_RED, 8, 8);
  assert.equal(red.length, 8 * 8 * 4);
  assert.deepEqual(at(red, 8, 0, 0), [248, 23, 23, 255]);
  assert.deepEqual(at(red, 8, 7, 7), [216, 17, 17, 255]);
  assert.deepEqual(at(red, 8, 3, 5), [224, 19, 19, 255]);
  const split = decodeBlurhash(BLUE_RED, 16, 8);
  assert.deepEqual(at(split, 16, 1, 4), [71, 20, 232, 255], 'blue on the left');
  assert.deepEqual(at(split, 16, 14, 4), [225, 20, 47, 255], 'red on the right');
});

test('blurhash: malformed hashes give null, not an exception', () => {
  for (const bad of ['', 'abc', null, 'L7QU$x|wfQ|w|wo1fQo1fQfQfQf', 'L7QU$x|wfQ|w|wo1fQo1fQfQfQf"']) {
    assert.equal(decodeBlurhash(bad, 4, 4), null, String(bad));
  }
});
