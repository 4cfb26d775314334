// Endpoints: admins managing people (roles, disabling, password reset links) and open invitations.
import { http } from './http.js';
import { withQuery } from '../lib/urls.js';

const personPath = (id) => `/api/admin/people/${encodeURIComponent(id)}`;

export const listAccounts = (q, cursor) => http().get(withQuery('/api/admin/people', { q, cursor }));
/** changes: {role}, {disabled}, and/or {title, department, location, manager}. */
export const updateAccount = (id, changes) => http().patch(personPath(id), changes);
export const createPasswordReset = (id) => http().post(`${personPath(id)}/password-reset`);
export const listInvites = () => http().get('/api/admin/invites');
export const revokeInvite = (id) => http().del(`/api/admin/invites/${encodeURIComponent(id)}`);
