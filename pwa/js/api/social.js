// Endpoints: reactions, comments, kudos, follows, search, tags, views.
import { http } from './http.js';
import { withQuery } from '../lib/urls.js';

const post = (id) => `/api/posts/${encodeURIComponent(id)}`;
const enc = encodeURIComponent;

export const react = (postId, kind) => http().put(`${post(postId)}/reactions/${enc(kind)}`);
export const unreact = (postId, kind) => http().del(`${post(postId)}/reactions/${enc(kind)}`);
export const listReactors = (postId, { kind, cursor } = {}) => http().get(withQuery(`${post(postId)}/reactions`, { kind, cursor }));

export const listComments = (postId, { cursor, parent } = {}) => http().get(withQuery(`${post(postId)}/comments`, { cursor, parent }));
/** key: an Idempotency-Key kept across retries of this comment (lib/request-key.js). */
export const addComment = (postId, body, parentId = null, key = null) => http().post(
  `${post(postId)}/comments`, { body, parent_id: parentId }, key ? { headers: { 'Idempotency-Key': key } } : {},
);
export const editComment = (id, body) => http().patch(`/api/comments/${enc(id)}`, { body });
export const deleteComment = (id) => http().del(`/api/comments/${enc(id)}`);

/** Who the post thanks: the whole list (the author only). */
export const setKudos = (postId, userIds) => http().put(`${post(postId)}/kudos`, { user_ids: userIds });

export const follow = (personId) => http().put(`/api/people/${enc(personId)}/follow`);
export const unfollow = (personId) => http().del(`/api/people/${enc(personId)}/follow`);
export const personKudos = (personId, cursor) => http().get(withQuery(`/api/people/${enc(personId)}/kudos`, { cursor }));

export const search = (q, cursor) => http().get(withQuery('/api/search', { q, cursor }));
export const tagPosts = (tag, cursor) => http().get(withQuery(`/api/tags/${enc(tag)}/posts`, { cursor }));
