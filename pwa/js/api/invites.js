// Endpoints: invitations (reading and accepting are public).
import { http } from './http.js';

const invitePath = (token) => `/api/invites/${encodeURIComponent(token)}`;

export const getInvite = (token) => http().get(invitePath(token), { unauthorizedIsError: true });
export const acceptInvite = (token, { name, email, password }) =>
  http().post(`${invitePath(token)}/accept`, { name, email, password }, { unauthorizedIsError: true });
// The server wants email omitted (not null) when the invite is for anyone.
export const createInvite = ({ role, email, days }) =>
  http().post('/api/invites', email ? { role, email, days } : { role, days });
