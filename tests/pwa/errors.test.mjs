import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, detailFrom, parseRetryAfter, errorMessage } from '../../pwa/js/lib/errors.js';
import { t } from '../../pwa/js/lib/i18n.js';

test('detailFrom reads the sentence of an error body', () => {
  assert.equal(detailFrom({ status_code: 400, detail: ' Too long. ' }), 'Too long.');
  assert.equal(detailFrom({ detail: ['x'] }), '');
  assert.equal(detailFrom(null), '');
});

test('parseRetryAfter handles seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('30'), 30);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter('soon'), null);
});

test('errorMessage words every kind of failure', () => {
  assert.equal(errorMessage(new ApiError({ kind: 'network' }), t), t('error.network'));
  assert.equal(errorMessage(new ApiError({ kind: 'timeout' }), t), t('error.timeout'));
  assert.equal(errorMessage(new ApiError({ kind: 'http', status: 400, detail: 'The post is empty.' }), t), 'The post is empty.');
  assert.equal(errorMessage(new ApiError({ kind: 'http', status: 429, retryAfter: 12 }), t),
    'Too many attempts. Please wait 12 seconds and try again.');
  assert.match(errorMessage(new ApiError({ kind: 'http', status: 500, detail: 'Traceback…' }), t), /server \(error 500\)/);
  assert.equal(errorMessage(new ApiError({ kind: 'http', status: 507, detail: 'The server has run out…' }), t),
    t('error.storageFull'));
  assert.equal(errorMessage(new ApiError({ kind: 'http', status: 401 }), t), t('error.signedOut'));
  assert.match(errorMessage(new ApiError({ kind: 'http', status: 418 }), t), /418/);
  assert.match(errorMessage(new Error('boom'), t), /failed/);
});

test('offline means no answer at all', () => {
  assert.ok(new ApiError({ kind: 'network' }).offline);
  assert.ok(new ApiError({ kind: 'timeout' }).offline);
  assert.ok(!new ApiError({ kind: 'http', status: 503 }).offline);
});
