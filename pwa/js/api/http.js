// Transport only: JSON over fetch with a timeout on every request, the CSRF header on unsafe
// methods, and failures turned into ApiError. No DOM access; everything is injected.
import { ApiError, detailFrom, parseRetryAfter } from '../lib/errors.js';
import { readCookie } from '../lib/compose.js';

export const DEFAULT_TIMEOUT_MS = 15000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
/** The service worker marks responses it answered from its cache with this header. */
export const FROM_CACHE_HEADER = 'x-hallway-from-cache';

/**
 * createHttp({fetch, getCookies, timeoutMs, onUnauthorized, onConnectivity})
 * onUnauthorized(): any 401 except where a request opts out (sign-in itself).
 * onConnectivity(ok, {fromCache}): whether the last request reached the server.
 */
export function createHttp({
  fetch: fetchFn,
  getCookies = () => '',
  timeoutMs = DEFAULT_TIMEOUT_MS,
  onUnauthorized = () => {},
  onConnectivity = () => {},
} = {}) {
  async function send(method, path, { body, timeout = timeoutMs, headers = {} } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    const init = {
      method,
      headers: { accept: 'application/json', ...headers },
      credentials: 'same-origin',
      signal: controller.signal,
    };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      return await fetchFn(path, init);
    } catch (err) {
      const kind = controller.signal.aborted ? 'timeout' : 'network';
      onConnectivity(false, { fromCache: false });
      throw new ApiError({ kind });
    } finally {
      clearTimeout(timer);
    }
  }

  async function csrfToken() {
    let token = readCookie(getCookies(), CSRF_COOKIE);
    if (!token) {
      // The server sets the cookie on safe requests; health is the cheapest one.
      await send('GET', '/api/health');
      token = readCookie(getCookies(), CSRF_COOKIE);
    }
    return token;
  }

  async function request(method, path, { body, timeout, unauthorizedIsError = false, headers: extra = {} } = {}) {
    const verb = method.toUpperCase();
    const headers = { ...extra };
    if (UNSAFE.has(verb)) {
      const token = await csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    const response = await send(verb, path, { body, timeout, headers });
    const fromCache = response.headers.get(FROM_CACHE_HEADER) === '1';
    onConnectivity(!fromCache, { fromCache });

    let data = null;
    if (response.status !== 204) {
      const text = await response.text().catch(() => '');
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = null;
        }
      }
    }
    if (!response.ok) {
      const error = new ApiError({
        kind: 'http',
        status: response.status,
        detail: detailFrom(data),
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      });
      if (response.status === 401 && !unauthorizedIsError) onUnauthorized(error);
      throw error;
    }
    return data;
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    put: (path, body, opts) => request('PUT', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
  };
}

// The app's client, installed once by main.js; the endpoint modules use it.
let client = null;

export function setClient(http) {
  client = http;
}

export function http() {
  if (!client) throw new Error('http client not installed');
  return client;
}
