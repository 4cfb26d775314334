import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushSupport, keyBytes, safeAppUrl, browserTimeZone } from '../../pwa/js/lib/push-support.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1';
const IPAD = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36';
const capable = (permission = 'default') => ({ PushManager: {}, Notification: { permission }, matchMedia: () => ({ matches: false }) });

test('iPhone Safari outside the home-screen app is told to add it first', () => {
  assert.equal(pushSupport({ navigator: { userAgent: IPHONE, standalone: false, serviceWorker: {} }, window: capable() }), 'ios-install');
  // An iPad says it is a Mac, but has touch points.
  assert.equal(pushSupport({ navigator: { userAgent: IPAD, maxTouchPoints: 5, serviceWorker: {} }, window: capable() }), 'ios-install');
});

test('the installed iPhone app and Android Chrome can subscribe', () => {
  assert.equal(pushSupport({ navigator: { userAgent: IPHONE, standalone: true, serviceWorker: {} }, window: capable() }), 'ok');
  assert.equal(pushSupport({ navigator: { userAgent: ANDROID, serviceWorker: {} }, window: capable('granted') }), 'ok');
});

test('no push API or a blocked permission say so', () => {
  assert.equal(pushSupport({ navigator: { userAgent: ANDROID }, window: capable() }), 'unsupported');
  assert.equal(pushSupport({ navigator: { userAgent: ANDROID, serviceWorker: {} }, window: { Notification: { permission: 'default' } } }), 'unsupported');
  assert.equal(pushSupport({ navigator: { userAgent: ANDROID, serviceWorker: {} }, window: capable('denied') }), 'denied');
  // A desktop Mac (no touch) is not mistaken for an iPad.
  assert.equal(pushSupport({ navigator: { userAgent: IPAD, maxTouchPoints: 0, serviceWorker: {} }, window: capable() }), 'ok');
});

test('the VAPID key becomes its 65 bytes', () => {
  const key = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
  const bytes = keyBytes(key);
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 4);
  assert.equal(bytes[64], 0x43);
});

test('only the app’s own hash routes are followed from a notification', () => {
  assert.equal(safeAppUrl('/#/post/42'), '#/post/42');
  assert.equal(safeAppUrl('#/notifications'), '#/notifications');
  for (const bad of ['https://evil.example/#/post/1', 'javascript:alert(1)', '//evil.example', '/#/post/1"><b>', null]) {
    assert.equal(safeAppUrl(bad), '#/notifications', String(bad));
  }
});

test('the browser time zone, or nothing', () => {
  assert.equal(browserTimeZone({ DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: 'Europe/Berlin' }) }) }), 'Europe/Berlin');
  assert.equal(browserTimeZone({ DateTimeFormat: () => { throw new Error('no Intl'); } }), '');
});
