// What this browser can do about push, decided from injected globals (no DOM access; unit-tested).

/** 'ok', 'ios-install' (Safari on iPhone/iPad outside a home-screen app), 'unsupported' or 'denied'. */
export function pushSupport({ navigator: nav = {}, window: win = {} } = {}) {
  const ua = String(nav.userAgent || '');
  // iPadOS reports itself as a Mac; a Mac has no touch points.
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && (nav.maxTouchPoints || 0) > 1);
  const standalone = nav.standalone === true || Boolean(win.matchMedia?.('(display-mode: standalone)')?.matches);
  if (ios && !standalone) return 'ios-install';
  if (!('serviceWorker' in nav) || !win.PushManager || !win.Notification) return 'unsupported';
  if (win.Notification.permission === 'denied') return 'denied';
  return 'ok';
}

/** The VAPID public key (base64url) as the bytes pushManager.subscribe wants. */
export function keyBytes(base64url) {
  const b64 = String(base64url).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Only the app's own hash routes are followed from a notification; anything else opens the list. */
export function safeAppUrl(url) {
  return typeof url === 'string' && /^\/?#\/[\w\-/%]*$/.test(url) ? url.replace(/^\//, '') : '#/notifications';
}

/** The browser's IANA time zone, or '' when it does not say. */
export function browserTimeZone(intl = globalThis.Intl) {
  try {
    return intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}
