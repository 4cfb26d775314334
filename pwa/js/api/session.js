// Endpoints: session and own account.
import { http } from './http.js';

export const signIn = (email, password) =>
  http().post('/api/session', { email, password }, { unauthorizedIsError: true });
export const signOut = () => http().del('/api/session', { unauthorizedIsError: true });
export const getMe = () => http().get('/api/me', { unauthorizedIsError: true });
export const updateMe = (changes) => http().patch('/api/me', changes);
