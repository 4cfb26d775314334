// Intents around push: turn it on (asking permission only then), off, keep it in sync, badge.
import * as api from '../api/notifications.js';
import { pushSupport, keyBytes, browserTimeZone } from '../lib/push-support.js';

export const support = () => pushSupport({ navigator, window });

async function registration() {
  return navigator.serviceWorker.ready;
}

/** This browser's current subscription, without ever prompting. */
export async function currentSubscription() {
  if (support() !== 'ok' || Notification.permission !== 'granted') return null;
  return (await registration()).pushManager.getSubscription();
}

/** Called from the toggle: the permission prompt belongs to that tap, never to page load. */
export async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, permission };
  const { public_key: key } = await api.getPushKey();
  const reg = await registration();
  const subscription = (await reg.pushManager.getSubscription())
    || await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await api.saveSubscription(subscription.toJSON());
  const prefs = await api.getPreferences();
  // Quiet hours are wall-clock times where the person is: tell the server once.
  if (!prefs.time_zone && browserTimeZone()) await api.updatePreferences({ time_zone: browserTimeZone() });
  return { ok: true, permission };
}

export async function disablePush() {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await api.deleteSubscription(subscription.endpoint);
  await subscription.unsubscribe();
}

/** At start: a subscription the browser renewed while no page was open reaches the server now. */
export async function syncPush() {
  const subscription = await currentSubscription();
  if (subscription) await api.saveSubscription(subscription.toJSON());
}

export function setBadge(count) {
  if (!('setAppBadge' in navigator)) return;
  const done = count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge();
  done.catch(() => {});
}
