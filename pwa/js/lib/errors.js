// Request failures as one error type, and how to word them for people.

export class ApiError extends Error {
  /** kind: 'http' (the server answered 4xx/5xx), 'network' (no answer) or 'timeout'. */
  constructor({ kind, status = 0, detail = '', retryAfter = null }) {
    super(detail || `${kind} ${status}`.trim());
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }

  /** True when there was no answer at all: the app is (or behaves as) offline. */
  get offline() {
    return this.kind === 'network' || this.kind === 'timeout';
  }
}

/** The sentence from an error body: {"status_code": 400, "detail": "…"}. */
export function detailFrom(body) {
  if (!body || typeof body !== 'object') return '';
  const { detail } = body;
  if (typeof detail === 'string') return detail.trim();
  return '';
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === null || value === undefined || value === '') return null;
  if (/^\d+$/.test(String(value).trim())) return Number(value);
  const when = Date.parse(value);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

/** A readable message for any error; t is the i18n lookup. */
export function errorMessage(error, t) {
  if (!(error instanceof ApiError)) return t('error.generic', { status: '?' });
  if (error.kind === 'network') return t('error.network');
  if (error.kind === 'timeout') return t('error.timeout');
  if (error.status === 429 && error.retryAfter !== null) {
    return t('error.rateLimited', { n: error.retryAfter });
  }
  // 507: the server's disk is full; an upload waits for room rather than failing.
  if (error.status === 507) return t('error.storageFull');
  // 5xx details are rarely meant for people (and Litestar hides them anyway).
  if (error.status >= 500) return t('error.server', { status: error.status });
  if (error.detail) return error.detail;
  if (error.status === 401) return t('error.signedOut');
  return t('error.generic', { status: error.status });
}
