// The one store of the running app, and the bits of it that survive a reload.
import { createStore } from '../lib/store.js';

const ME_KEY = 'hallway.me';
const LANG_KEY = 'hallway.lang';
export const API_CACHE = 'hallway-api';

export const store = createStore({
  me: null,          // the signed-in account, or null
  lang: 'en',
  online: true,      // navigator.onLine and the last request reached the server
  justPosted: null,  // a post made a moment ago, shown on top of the feed
});

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The last known account, so the shell can open offline as the same person. */
export function rememberedMe() {
  try {
    return JSON.parse(storage()?.getItem(ME_KEY) || 'null');
  } catch {
    return null;
  }
}

export function rememberMe(me) {
  const s = storage();
  if (!s) return;
  if (me) s.setItem(ME_KEY, JSON.stringify(me));
  else s.removeItem(ME_KEY);
}

export function storedLanguage() {
  return storage()?.getItem(LANG_KEY) || null;
}

export function storeLanguage(lang) {
  storage()?.setItem(LANG_KEY, lang);
}

/** Drop everything the service worker kept from the API (the cached feed page). */
export async function clearApiCache() {
  try {
    if (globalThis.caches) await caches.delete(API_CACHE);
  } catch {
    // no Cache Storage in this context: nothing was cached either
  }
}
