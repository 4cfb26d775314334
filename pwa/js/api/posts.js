// Endpoints: posts and the feed.
import { http } from './http.js';
import { feedPath } from '../lib/urls.js';

const postPath = (id) => `/api/posts/${encodeURIComponent(id)}`;

export const getFeed = (params) => http().get(feedPath(params));
/** payload: {body, upload_ids?, alt_texts?} (a plain string is a text post). */
export const createPost = (payload) => http().post('/api/posts', typeof payload === 'string' ? { body: payload } : payload);
export const getPost = (id) => http().get(postPath(id));
export const deletePost = (id) => http().del(postPath(id));
export const retryPost = (id) => http().post(`${postPath(id)}/retry`, {});
export const pinPost = (id, until = null) => http().put(`${postPath(id)}/pin`, { until });
export const unpinPost = (id) => http().del(`${postPath(id)}/pin`);
