// Endpoints: session and own account.
import { http } from './http.js';

export const signIn = (email, password) =>
  http().post('/api/session', { email, password }, { unauthorizedIsError: true });
export const signOut = () => http().del('/api/session', { unauthorizedIsError: true });
export const getMe = () => http().get('/api/me', { unauthorizedIsError: true });
export const updateMe = (changes) => http().patch('/api/me', changes);
export const changePassword = (currentPassword, newPassword) =>
  http().put('/api/me/password', { current_password: currentPassword, new_password: newPassword });
export const signOutEverywhere = () => http().del('/api/me/sessions', { unauthorizedIsError: true });

const resetPath = (token) => `/api/password-resets/${encodeURIComponent(token)}`;
export const getPasswordReset = (token) => http().get(resetPath(token), { unauthorizedIsError: true });
export const resetPassword = (token, password) => http().post(resetPath(token), { password }, { unauthorizedIsError: true });
