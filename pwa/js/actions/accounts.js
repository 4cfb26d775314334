// Intents of the screens loaded on demand: admins managing people and invitations, and using a
// password reset link. (One's own password and sign-out everywhere are in session.js.)
import * as accounts from '../api/accounts.js';
import * as session from '../api/session.js';
import { appLink } from '../lib/urls.js';
import { routeHash } from '../lib/router.js';
import { signedIn } from './session.js';

export const loadAccounts = (q, cursor) => accounts.listAccounts(q, cursor);
export const setRole = (id, role) => accounts.updateAccount(id, { role });
export const setDisabled = (id, disabled) => accounts.updateAccount(id, { disabled });
/** details: {title, department, location, manager} (manager: a person's id or null). */
export const setDetails = (id, details) => accounts.updateAccount(id, details);
export const loadInvites = () => accounts.listInvites();
export const withdrawInvite = (id) => accounts.revokeInvite(id);

export async function makeResetLink(id) {
  const reset = await accounts.createPasswordReset(id);
  // The PWA's own route, built from where the app runs (the server may sit behind a proxy).
  return { ...reset, link: appLink(location.href, routeHash('reset', reset.token)) };
}

export const loadReset = (token) => session.getPasswordReset(token);

export async function resetWithLink(token, password) {
  const me = await session.resetPassword(token, password);
  signedIn(me);
  return me;
}
