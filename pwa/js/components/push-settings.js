// Settings › Notifications: this device's push switch, what to be told about, quiet hours.
import { support, currentSubscription, enablePush, disablePush } from '../actions/push.js';
import * as api from '../api/notifications.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { el, nextId } from './dom.js';

function check(label, checked, onchange) {
  const id = nextId('check');
  const input = el('input', { id, type: 'checkbox', checked: Boolean(checked), onchange });
  return { input, wrap: el('div', { class: 'check' }, input, el('label', { for: id }, label)) };
}

export function PushSettings(root) {
  const state = support();
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const fail = (err) => { alert.textContent = errorMessage(err, t); };
  const heading = el('h2', { class: 'section-title' }, t('push.title'));
  const prefsBox = el('div', { class: 'form' });
  root.replaceChildren(heading, alert);

  if (state === 'ios-install') root.append(el('p', { class: 'hint' }, t('push.iosInstall')));
  else if (state === 'unsupported') root.append(el('p', { class: 'hint' }, t('push.unsupported')));
  else if (state === 'denied') root.append(el('p', { class: 'hint' }, t('push.denied')));
  else {
    const device = check(t('push.device'), false, async () => {
      alert.textContent = '';
      device.input.disabled = true;
      try {
        if (device.input.checked) {
          const { ok } = await enablePush();
          device.input.checked = ok;
          if (!ok) alert.textContent = t('push.notAllowed');
        } else {
          await disablePush();
        }
      } catch (err) {
        device.input.checked = !device.input.checked;
        fail(err);
      } finally {
        device.input.disabled = false;
      }
    });
    device.input.setAttribute('role', 'switch');
    root.append(device.wrap);
    currentSubscription().then((sub) => { device.input.checked = Boolean(sub); }, () => {});
  }
  root.append(prefsBox);

  const save = (changes) => api.updatePreferences(changes).then(() => { alert.textContent = ''; }, fail);
  api.getPreferences().then((prefs) => {
    const toggles = ['follows', 'comments_mentions', 'announcements'].map((name) =>
      check(t(`push.${name}`), prefs[name], (e) => save({ [name]: e.target.checked })).wrap);
    const time = (name) => {
      const id = nextId('time');
      const input = el('input', { id, type: 'time', value: prefs[name], required: true,
        onchange: (e) => e.target.value && save({ [name]: e.target.value }) });
      return el('div', { class: 'field' }, el('label', { for: id }, t(`push.${name}`)), input);
    };
    const quiet = check(t('push.quiet'), prefs.quiet_hours, (e) => save({ quiet_hours: e.target.checked }));
    prefsBox.replaceChildren(...toggles, quiet.wrap,
      el('div', { class: 'time-row' }, time('quiet_start'), time('quiet_end')),
      el('p', { class: 'hint' }, t('push.quietHint', { zone: prefs.time_zone || 'UTC' })));
  }, fail);
  return root;
}
