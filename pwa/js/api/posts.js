// Endpoints: posts and the feed.
import { http } from './http.js';
import { feedPath } from '../lib/urls.js';

const postPath = (id) => `/api/posts/${encodeURIComponent(id)}`;

export const getFeed = (params) => http().get(feedPath(params));
export const createPost = (body) => http().post('/api/posts', { body });
export const getPost = (id) => http().get(postPath(id));
export const deletePost = (id) => http().del(postPath(id));
export const pinPost = (id, until = null) => http().put(`${postPath(id)}/pin`, { until });
export const unpinPost = (id) => http().del(`${postPath(id)}/pin`);
