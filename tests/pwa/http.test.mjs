import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttp, CSRF_HEADER, FROM_CACHE_HEADER } from '../../pwa/js/api/http.js';
import { ApiError } from '../../pwa/js/lib/errors.js';

function reply(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { 'content-type': 'application/json', ...headers },
  });
}

function fakeFetch(handler) {
  const calls = [];
  const fn = async (path, init) => {
    calls.push({ path, init });
    return handler(path, init, calls.length);
  };
  fn.calls = calls;
  return fn;
}

test('GET parses JSON and reports the server reachable', async () => {
  const seen = [];
  const fetch = fakeFetch(() => reply(200, { ok: 1 }));
  const http = createHttp({ fetch, onConnectivity: (ok) => seen.push(ok) });
  assert.deepEqual(await http.get('/api/me'), { ok: 1 });
  assert.equal(fetch.calls[0].init.method, 'GET');
  assert.equal(fetch.calls[0].init.headers[CSRF_HEADER], undefined);
  assert.deepEqual(seen, [true]);
});

test('unsafe methods send the CSRF cookie as header and a JSON body', async () => {
  const fetch = fakeFetch(() => reply(201, { id: 1 }));
  const http = createHttp({ fetch, getCookies: () => 'csrftoken=tok123; other=1' });
  await http.post('/api/posts', { body: 'hi' });
  const { init } = fetch.calls[0];
  assert.equal(init.headers[CSRF_HEADER], 'tok123');
  assert.equal(init.headers['content-type'], 'application/json');
  assert.equal(init.body, '{"body":"hi"}');
});

test('a request may add headers (the Idempotency-Key of a post), never replacing the CSRF one', async () => {
  const fetch = fakeFetch(() => reply(201, { id: 1 }));
  const http = createHttp({ fetch, getCookies: () => 'csrftoken=tok123' });
  await http.post('/api/posts', { body: 'hi' }, { headers: { 'Idempotency-Key': 'k1', [CSRF_HEADER]: 'forged' } });
  const { init } = fetch.calls[0];
  assert.equal(init.headers['Idempotency-Key'], 'k1');
  assert.equal(init.headers[CSRF_HEADER], 'tok123');
});

test('without a CSRF cookie, GET /api/health first', async () => {
  let cookies = '';
  const fetch = fakeFetch((path) => {
    if (path === '/api/health') cookies = 'csrftoken=fresh';
    return reply(204);
  });
  const http = createHttp({ fetch, getCookies: () => cookies });
  assert.equal(await http.del('/api/posts/1'), null);
  assert.deepEqual(fetch.calls.map((c) => c.path), ['/api/health', '/api/posts/1']);
  assert.equal(fetch.calls[1].init.headers[CSRF_HEADER], 'fresh');
});

test('4xx becomes ApiError with the detail sentence and Retry-After', async () => {
  const fetch = fakeFetch(() => reply(429, { status_code: 429, detail: 'Too many sign-in attempts.' }, { 'retry-after': '42' }));
  const http = createHttp({ fetch, getCookies: () => 'csrftoken=t' });
  await assert.rejects(http.post('/api/session', {}), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'http');
    assert.equal(err.status, 429);
    assert.equal(err.detail, 'Too many sign-in attempts.');
    assert.equal(err.retryAfter, 42);
    return true;
  });
});

test('a non-JSON error body still gives an ApiError', async () => {
  const fetch = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
  const http = createHttp({ fetch });
  await assert.rejects(http.get('/api/feed'), (err) => err.status === 502 && err.detail === '');
});

test('401 calls onUnauthorized unless the request opts out', async () => {
  let count = 0;
  const fetch = fakeFetch(() => reply(401, { detail: 'Please sign in.' }));
  const http = createHttp({ fetch, onUnauthorized: () => { count += 1; } });
  await assert.rejects(http.get('/api/feed'));
  assert.equal(count, 1);
  await assert.rejects(http.get('/api/me', { unauthorizedIsError: true }));
  assert.equal(count, 1);
});

test('a network failure is kind "network" and reports offline', async () => {
  const seen = [];
  const fetch = fakeFetch(() => { throw new TypeError('Failed to fetch'); });
  const http = createHttp({ fetch, onConnectivity: (ok) => seen.push(ok) });
  await assert.rejects(http.get('/api/feed'), (err) => err.kind === 'network' && err.offline);
  assert.deepEqual(seen, [false]);
});

test('every request has a timeout', async () => {
  const fetch = (path, init) => new Promise((resolve, reject) => {
    init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
  const http = createHttp({ fetch, timeoutMs: 20 });
  const started = Date.now();
  await assert.rejects(http.get('/api/feed'), (err) => err.kind === 'timeout');
  assert.ok(Date.now() - started < 1000);
});

test('a response the service worker served from its cache counts as offline', async () => {
  const seen = [];
  const fetch = fakeFetch(() => reply(200, { items: [] }, { [FROM_CACHE_HEADER]: '1' }));
  const http = createHttp({ fetch, onConnectivity: (ok, info) => seen.push([ok, info.fromCache]) });
  await http.get('/api/feed');
  assert.deepEqual(seen, [[false, true]]);
});
