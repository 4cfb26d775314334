// Transport for uploads: tus 1.0.0 to /api/uploads with the vendored tus-js-client, loaded on
// first use (it is 22 KB gzip: only the composer pays for it, not the first load).
import { CSRF_HEADER, CSRF_COOKIE } from './http.js';
import { readCookie } from '../lib/compose.js';
import { CHUNK_SIZE, uploadIdFromUrl } from '../lib/upload-queue.js';
import { ApiError, detailFrom } from '../lib/errors.js';

export const UPLOADS_PATH = '/api/uploads';
// Relative to the page, not this module: the built app bundles modules into other paths.
const TUS_SRC = 'vendor/tus.min.js';
// A tunnel lasts a minute or two: keep trying that long before telling the person.
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

let loading = null;

/** The tus global from vendor/tus.min.js (a UMD bundle: a classic script, not a module). */
export function loadTus() {
  if (globalThis.tus) return Promise.resolve(globalThis.tus);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TUS_SRC;
    script.onload = () => (globalThis.tus ? resolve(globalThis.tus) : reject(new Error('tus-js-client did not load')));
    script.onerror = () => {
      loading = null;
      reject(new ApiError({ kind: 'network' }));
    };
    document.head.append(script);
  });
  return loading;
}

/** A tus error as ApiError: the server's sentence when it answered, else network. */
export function uploadError(err) {
  const response = err?.originalResponse;
  const status = response?.getStatus?.() || 0;
  if (!status) return new ApiError({ kind: 'network' });
  let detail = '';
  try {
    detail = detailFrom(JSON.parse(response.getBody() || 'null'));
  } catch {
    detail = '';
  }
  return new ApiError({ kind: 'http', status, detail });
}

/**
 * A tus Upload for file, resuming a previous one for the same file if this browser has one.
 * handlers: {onProgress(sent, total), onDone(uploadId), onError(ApiError)}. Call .start().
 */
export async function prepareUpload(tus, file, { onProgress, onDone, onError }) {
  const upload = new tus.Upload(file, {
    endpoint: UPLOADS_PATH,
    chunkSize: CHUNK_SIZE,
    retryDelays: RETRY_DELAYS,
    removeFingerprintOnSuccess: true,
    metadata: { filename: file.name || 'upload', filetype: file.type || 'application/octet-stream' },
    // Read the cookie per request: the CSRF token may change while a long upload runs.
    onBeforeRequest(req) {
      const token = readCookie(document.cookie, CSRF_COOKIE);
      if (token) req.setHeader(CSRF_HEADER, token);
    },
    onShouldRetry(err) {
      const status = err?.originalResponse?.getStatus?.() || 0;
      // 408 (the server stopped waiting for this chunk), 409 (offset moved) and 423 resolve with a
      // HEAD; 507 (disk full) once there is room; other 4xx will not get better by retrying.
      return !status || status >= 500 || [408, 409, 423, 429].includes(status);
    },
    onProgress,
    onSuccess: () => onDone(uploadIdFromUrl(upload.url)),
    onError: (err) => onError(uploadError(err)),
  });
  const previous = await upload.findPreviousUploads().catch(() => []);
  if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
  return upload;
}
