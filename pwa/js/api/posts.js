// Endpoints: posts and the feed.
import { http } from './http.js';
import { feedPath } from '../lib/urls.js';

const postPath = (id) => `/api/posts/${encodeURIComponent(id)}`;

const EARLY_MS = 10000; // an early page older than this is not shown
let early = null;

/** Ask for the main feed's first page at start, alongside the session check: the feed shows a
 * round trip sooner. A 401 here is no expired session (the feed's own request decides that). */
export function prefetchFeed() {
  const promise = http().get(feedPath({}), { unauthorizedIsError: true });
  promise.catch(() => {}); // handled when taken
  early = { promise, at: Date.now() };
}

/** The feed; the first call for the main first page takes the prefetched one (or asks again if it failed). */
export function getFeed(params = {}) {
  const taken = early;
  early = null;
  const path = feedPath(params);
  if (taken && path === feedPath({}) && Date.now() - taken.at < EARLY_MS) {
    return taken.promise.catch(() => http().get(path));
  }
  return http().get(path);
}
/** The header that makes a create safe to retry: the server answers a repeat with the first answer. */
const once = (key) => (key ? { headers: { 'Idempotency-Key': key } } : {});

/** payload: {body, upload_ids?, alt_texts?} (a plain string is a text post); key: see lib/request-key.js. */
export const createPost = (payload, key = null) => http().post('/api/posts', typeof payload === 'string' ? { body: payload } : payload, once(key));
export const getPost = (id) => http().get(postPath(id));
export const deletePost = (id) => http().del(postPath(id));
export const retryPost = (id) => http().post(`${postPath(id)}/retry`, {});
export const pinPost = (id, until = null) => http().put(`${postPath(id)}/pin`, { until });
export const unpinPost = (id) => http().del(`${postPath(id)}/pin`);
