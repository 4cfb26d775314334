// Intents on the own profile, the language and invitations.
import * as session from '../api/session.js';
import * as invites from '../api/invites.js';
import { t } from '../lib/i18n.js';
import { appLink } from '../lib/urls.js';
import { routeHash } from '../lib/router.js';
import { showToast } from '../components/toast.js';
import { store, storeLanguage, rememberMe } from './app-state.js';
import { signedIn } from './session.js';

export async function saveProfile(changes) {
  const me = await session.updateMe(changes);
  rememberMe(me);
  store.set({ me });
  showToast(t('profile.saved'));
  return me;
}

/** Switch at once, remember on this device, and tell the server for other devices. */
export async function changeLanguage(lang) {
  storeLanguage(lang);
  store.set({ lang });
  if (store.get().me) {
    const me = await session.updateMe({ language: lang });
    rememberMe(me);
    store.set({ me });
  }
}

export async function createInviteLink({ role, email, days }) {
  const invite = await invites.createInvite({ role, email, days });
  // The PWA's own route, built from where the app runs (the server may sit behind a proxy).
  return { ...invite, link: appLink(location.href, routeHash('join', invite.token)) };
}

export const loadInvite = (token) => invites.getInvite(token);

export async function joinWithInvite(token, fields) {
  const me = await invites.acceptInvite(token, fields);
  signedIn(me);
  return me;
}
