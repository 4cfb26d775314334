// Own profile: the form, the language, the password, sign out (here or everywhere), for admins
// "Invite a colleague" and the People screen, and the kudos received (as a colleague sees them on
// one's profile page).
import { saveProfile, changeLanguage, createInviteLink } from '../actions/profile.js';
import { signOut, signOutEverywhere, changeMyPassword } from '../actions/session.js';
import { copyText } from '../actions/posts.js';
import { store } from '../actions/app-state.js';
import { parseTags, formatTags } from '../lib/compose.js';
import { errorMessage } from '../lib/errors.js';
import { t, LANGUAGES, getLanguage } from '../lib/i18n.js';
import { fullDate } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { el, field, append } from '../components/dom.js';
import { PersonCard } from '../components/person-card.js';
import { showToast } from '../components/toast.js';
import { PushSettings } from '../components/push-settings.js';
import { confirmDialog } from '../components/confirm-dialog.js';
import { MIN_PASSWORD } from './join-view.js';

const ROLES = ['member', 'moderator', 'admin'];

/** Job title, department, location and manager: read-only here, since admins set them (the
 * announcements' audiences are made of departments and locations). */
function setByAdmins(me) {
  const facts = [
    [t('profile.jobTitle'), me.title],
    [t('profile.department'), me.department],
    [t('profile.location'), me.location],
    [t('profile.manager'), me.manager?.name],
  ];
  return el('div', { class: 'set-by-admins' },
    el('dl', { class: 'facts' }, facts.map(([label, value]) => [
      el('dt', {}, label),
      el('dd', { class: value ? null : 'muted' }, value || t('profile.notSet')),
    ])),
    el('p', { class: 'hint' }, t('profile.setByAdmins')));
}

function profileForm(me) {
  const fields = {
    name: field({ label: t('profile.name'), name: 'name', value: me.name || '', required: true, autocomplete: 'name', maxlength: '100' }),
    bio: field({ label: t('profile.bio'), tag: 'textarea', name: 'bio', rows: '3', value: me.bio || '', maxlength: '500' }),
    expertise: field({ label: t('profile.expertise'), hint: t('profile.expertiseHint'), name: 'expertise', value: formatTags(me.expertise) }),
  };
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary' }, t('profile.save'));
  async function onSubmit(event) {
    event.preventDefault();
    alert.textContent = '';
    submit.disabled = true;
    try {
      await saveProfile({
        name: fields.name.input.value.trim(),
        bio: fields.bio.input.value.trim(),
        expertise: parseTags(fields.expertise.input.value),
      });
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      submit.disabled = false;
    }
  }
  return el('form', { class: 'card form', onsubmit: onSubmit },
    el('h2', { class: 'section-title' }, t('profile.about')),
    fields.name.wrap, setByAdmins(me), fields.bio.wrap, fields.expertise.wrap, alert, submit);
}

function languageForm() {
  const select = field({ label: t('profile.language'), tag: 'select', name: 'language' });
  for (const lang of LANGUAGES) {
    select.input.append(el('option', { value: lang, selected: lang === getLanguage() }, t(`lang.${lang}`)));
  }
  select.input.addEventListener('change', () => {
    changeLanguage(select.input.value).catch((err) => showToast(errorMessage(err, t)));
  });
  return el('div', { class: 'card form' }, select.wrap);
}

function passwordForm() {
  // The email, for the browser's password manager to file the new password under.
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'username', value: store.get().me?.email || '', hidden: true, readonly: true });
  const current = field({ label: t('password.current'), type: 'password', name: 'current-password', autocomplete: 'current-password', required: true });
  const next = field({ label: t('password.new'), hint: t('join.passwordHint'), type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary' }, t('password.submit'));
  async function onSubmit(event) {
    event.preventDefault();
    alert.textContent = '';
    if ([...next.input.value].length < MIN_PASSWORD) {
      alert.textContent = t('join.tooShort');
      next.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await changeMyPassword(current.input.value, next.input.value);
      current.input.value = '';
      next.input.value = '';
      showToast(t('password.changed'));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      submit.disabled = false;
    }
  }
  return el('form', { class: 'card form', onsubmit: onSubmit, novalidate: true },
    el('h2', { class: 'section-title' }, t('password.title')), email, current.wrap, next.wrap, alert, submit);
}

function inviteForm() {
  const role = field({ label: t('invite.role'), tag: 'select', name: 'role' });
  for (const r of ROLES) role.input.append(el('option', { value: r }, t(`role.${r}`)));
  const email = field({ label: t('invite.email'), type: 'email', name: 'email', autocomplete: 'off', inputmode: 'email', autocapitalize: 'none', spellcheck: 'false' });
  const days = field({ label: t('invite.days'), type: 'number', name: 'days', value: '7', min: '1', max: '30', required: true, inputmode: 'numeric' });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const result = el('div', { class: 'invite-result' });
  const submit = el('button', { type: 'submit', class: 'btn primary' }, t('invite.submit'));

  async function onSubmit(event) {
    event.preventDefault();
    alert.textContent = '';
    result.replaceChildren();
    submit.disabled = true;
    try {
      const invite = await createInviteLink({
        role: role.input.value,
        email: email.input.value.trim() || null,
        days: Number(days.input.value) || 7,
      });
      const link = field({ label: t('invite.link'), name: 'invite-link', value: invite.link, readonly: true });
      link.input.addEventListener('focus', () => link.input.select());
      const copy = el('button', {
        type: 'button', class: 'btn',
        onclick: async () => { await copyText(invite.link); showToast(t('invite.copied')); },
      }, t('invite.copy'));
      result.append(el('div', { class: 'copy-row' }, link.wrap, copy),
        invite.expires_at ? el('p', { class: 'hint' }, t('invite.expires', { date: fullDate(invite.expires_at, getLanguage()) })) : null);
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      submit.disabled = false;
    }
  }
  return el('form', { class: 'card form', onsubmit: onSubmit },
    el('h2', { class: 'section-title' }, t('invite.title')), role.wrap, email.wrap, days.wrap, alert, submit, result);
}

export function ProfileView(main, ctx) {
  ctx.setTitle(t('profile.title'));
  const { me } = store.get();
  const signOutButton = el('button', {
    type: 'button', class: 'btn wide',
    onclick: async () => {
      signOutButton.disabled = true;
      history.replaceState(null, '', routeHash('feed')); // the next person starts at the feed
      try {
        await signOut();
      } catch (err) {
        showToast(errorMessage(err, t)); // signed out locally anyway
      }
    },
  }, t('profile.signOut'));
  const everywhereButton = el('button', {
    type: 'button', class: 'btn wide',
    onclick: async () => {
      const sure = await confirmDialog({
        message: t('password.confirmEverywhere'), confirm: t('password.everywhere'), cancel: t('password.cancel'),
      });
      if (!sure) return;
      everywhereButton.disabled = true;
      history.replaceState(null, '', routeHash('feed')); // the next person starts at the feed
      try {
        await signOutEverywhere();
      } catch (err) {
        everywhereButton.disabled = false;
        showToast(errorMessage(err, t));
      }
    },
  }, t('password.everywhere'));
  const card = PersonCard(el('section', { class: 'card profile-card' }), me);
  const kudosHeading = el('h2', { class: 'section-title', hidden: true });
  const kudosHolder = el('section', { class: 'feed' });
  append(main, [
    card,
    el('p', { class: 'hint center' },
      t('profile.signedInAs', { email: me.email || '', role: t(`role.${me.role}`) }), ' · ',
      el('a', { href: routeHash('people', me.id) }, t('profile.viewPosts'))),
    profileForm(me),
    languageForm(),
    PushSettings(el('section', { class: 'card form' })),
    me.role === 'admin' || me.role === 'moderator'
      ? el('p', { class: 'card form' }, el('a', { class: 'btn', href: routeHash('announce') }, t('ann.new')))
      : null,
    me.role === 'admin'
      ? el('p', { class: 'card form' }, el('a', { class: 'btn', href: routeHash('accounts') }, t('accounts.title')))
      : null,
    me.role === 'admin' ? inviteForm() : null,
    passwordForm(),
    el('div', { class: 'card form' }, signOutButton, everywhereButton,
      el('p', { class: 'hint' }, t('password.everywhereHint'))),
    kudosHeading,
    kudosHolder,
  ]);
  let alive = true;
  let kudos = null;
  // The list and its strings load with their module: the profile itself shows at once.
  import('../components/follow-panel.js').then(({ KudosList }) => {
    if (!alive) return;
    kudosHeading.textContent = t('follow.kudosTitle');
    kudosHeading.hidden = false;
    kudos = KudosList(kudosHolder, me);
  }).catch(() => {}); // offline and never loaded: the rest of the profile still works
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.me && state.me !== prev.me) PersonCard(card, state.me);
  });
  return () => {
    alive = false;
    unsubscribe();
    kudos?.destroy();
  };
}
