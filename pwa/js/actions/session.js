// Intents: restore the session at start, sign in, sign out, react to an expired session.
import * as api from '../api/session.js';
import { ApiError } from '../lib/errors.js';
import { pickLanguage } from '../lib/i18n.js';
import { clearDraft } from '../lib/draft-store.js';
import { store, rememberMe, rememberedMe, clearApiCache, storedLanguage, storeLanguage } from './app-state.js';

/** Ask the server who is signed in; offline, fall back to the last known account. */
export async function restoreSession() {
  try {
    const me = await api.getMe();
    signedIn(me);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.offline) {
      const me = rememberedMe();
      store.set({ me });
      return me;
    }
    if (err instanceof ApiError && err.status === 401) {
      await forget();
      return null;
    }
    throw err;
  }
}

export async function signIn(email, password) {
  const me = await api.signIn(email, password);
  signedIn(me);
  return me;
}

/** Sign out on the server, then forget everything local even if the server is unreachable. */
export async function signOut() {
  try {
    await api.signOut();
  } finally {
    await forget();
  }
}

/** End every session on the server (a lost phone), this one too; then forget everything here. */
export async function signOutEverywhere() {
  await api.signOutEverywhere();
  await forget();
}

export const changeMyPassword = (currentPassword, newPassword) => api.changePassword(currentPassword, newPassword);

/** A 401 from any request: the session is gone. */
export async function sessionExpired() {
  if (!store.get().me) return;
  await forget();
}

export function signedIn(me) {
  rememberMe(me);
  // A language chosen on another device wins over the browser default, not over this device's choice.
  const lang = pickLanguage({ stored: storedLanguage(), profile: me.language, browser: navigator.languages });
  if (!storedLanguage() && me.language) storeLanguage(me.language);
  store.set({ me, lang });
  // The server writes pushes in the profile's language: one it could not tell from the browser
  // at sign-in is this device's. A failure only leaves the pushes in English.
  if (!me.language) {
    api.updateMe({ language: lang }).then((updated) => {
      rememberMe(updated);
      store.set({ me: updated });
    }).catch(() => {});
  }
}

async function forget() {
  rememberMe(null);
  try {
    sessionStorage.removeItem('hallway.draft'); // an unsent post is not for the next person
  } catch {
    // storage disabled
  }
  store.set({ me: null, justPosted: null });
  await Promise.all([clearApiCache(), clearDraft().catch(() => {})]);
}
