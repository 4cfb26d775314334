// People (#/accounts), for admins: find anyone (disabled people too), change a role, disable or
// enable, make a one-time password link to hand over, set job title, department, location and
// manager (members cannot: announcements are addressed by these); and the open invitations, to revoke.
import { loadAccounts, setRole, setDisabled, setDetails, makeResetLink, loadInvites, withdrawInvite } from '../actions/accounts.js';
import { copyText } from '../actions/posts.js';
import { store } from '../actions/app-state.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { fullDate } from '../lib/relative-time.js';
import { el, clear, field } from '../components/dom.js';
import { confirmDialog } from '../components/confirm-dialog.js';
import { PeoplePicker } from '../components/people-picker.js';
import { showToast } from '../components/toast.js';
import { socialStyles } from '../components/lazy-styles.js';

const ROLES = ['member', 'moderator', 'admin'];

/** A read-only link with a Copy button and when it stops working. */
function linkResult(label, link, expiresAt) {
  const shown = field({ label, name: 'link', value: link, readonly: true });
  shown.input.addEventListener('focus', () => shown.input.select());
  const copy = el('button', {
    type: 'button', class: 'btn',
    onclick: async () => { await copyText(link); showToast(t('accounts.copied')); },
  }, t('accounts.copy'));
  return el('div', { class: 'stack' },
    el('div', { class: 'copy-row' }, shown.wrap, copy),
    el('p', { class: 'hint' }, t('accounts.resetHint', { date: fullDate(expiresAt, getLanguage()) })));
}

/** Job title, department, location and manager of one person; onSaved(account) with the server's answer. */
function DetailsForm(person, onSaved) {
  const fields = {
    title: field({ label: t('profile.jobTitle'), name: 'title', value: person.title, maxlength: '100', autocomplete: 'off' }),
    department: field({ label: t('profile.department'), name: 'department', value: person.department, maxlength: '100', autocomplete: 'off' }),
    location: field({ label: t('profile.location'), name: 'location', value: person.location, maxlength: '100', autocomplete: 'off' }),
  };
  const manager = PeoplePicker({
    label: t('profile.manager'), hint: t('accounts.managerHint'), exclude: person.id, max: 1,
    initial: person.manager ? [person.manager] : [],
  });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary' }, t('accounts.saveDetails'));
  async function onSubmit(event) {
    event.preventDefault();
    alert.textContent = '';
    submit.disabled = true;
    try {
      const chosen = manager.picked()[0];
      onSaved(await setDetails(person.id, {
        title: fields.title.input.value.trim(),
        department: fields.department.input.value.trim(),
        location: fields.location.input.value.trim(),
        manager: chosen ? chosen.id : null,
      }));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      submit.disabled = false;
    }
  }
  return el('form', { class: 'form account-details', onsubmit: onSubmit },
    Object.values(fields).map((f) => f.wrap), manager.wrap, alert, submit);
}

function AccountRow(person) {
  const me = store.get().me;
  const item = el('li', { class: 'card account' });
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const result = el('div');
  const role = field({ label: t('accounts.role'), tag: 'select', name: 'role' });
  for (const r of ROLES) role.input.append(el('option', { value: r, selected: r === person.role }, t(`role.${r}`)));
  const toggle = el('button', { type: 'button', class: 'btn small' });
  const reset = el('button', { type: 'button', class: 'btn small' }, t('accounts.reset'));
  const status = el('p', { class: 'meta' });
  const where = el('p', { class: 'meta' });
  // The form is made when first opened: a long list stays light.
  const details = el('details', { class: 'account-more' }, el('summary', {}, t('accounts.details')));
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('form')) return;
    details.append(DetailsForm(person, (account) => {
      Object.assign(person, account);
      render();
      showToast(t('accounts.detailsSaved', { name: person.name }));
    }));
  });

  function render() {
    toggle.textContent = person.disabled ? t('accounts.enable') : t('accounts.disable');
    toggle.classList.toggle('danger', !person.disabled);
    reset.disabled = person.disabled;
    role.input.value = person.role;
    item.classList.toggle('is-disabled', person.disabled);
    status.replaceChildren(
      person.email,
      person.id === me?.id ? ` · ${t('accounts.you')}` : '',
      person.disabled ? el('span', { class: 'badge' }, t('accounts.disabled')) : '',
      person.has_password ? '' : el('span', { class: 'badge' }, t('accounts.noPassword')));
    const job = [person.title, person.department, person.location].filter(Boolean).join(' · ');
    where.textContent = [job, person.manager ? t('accounts.reportsTo', { name: person.manager.name }) : '']
      .filter(Boolean).join(' · ');
    where.hidden = !where.textContent;
  }

  async function act(work) {
    alert.textContent = '';
    for (const control of [role.input, toggle, reset]) control.disabled = true;
    try {
      await work();
    } catch (err) {
      alert.textContent = errorMessage(err, t);
    } finally {
      role.input.disabled = false;
      toggle.disabled = false;
      render();
    }
  }

  role.input.addEventListener('change', () => act(async () => {
    const wanted = role.input.value;
    try {
      Object.assign(person, await setRole(person.id, wanted));
    } catch (err) {
      role.input.value = person.role;
      throw err;
    }
    showToast(t('accounts.roleSaved', { name: person.name, role: t(`role.${person.role}`) }));
  }));
  toggle.addEventListener('click', () => act(async () => {
    const disabling = !person.disabled;
    if (disabling && !(await confirmDialog({
      message: t('accounts.confirmDisable', { name: person.name }),
      confirm: t('accounts.disable'), cancel: t('accounts.cancel'),
    }))) return;
    Object.assign(person, await setDisabled(person.id, disabling));
    result.replaceChildren();
    showToast(t(person.disabled ? 'accounts.disabledToast' : 'accounts.enabledToast', { name: person.name }));
  }));
  reset.addEventListener('click', () => act(async () => {
    const made = await makeResetLink(person.id);
    result.replaceChildren(linkResult(t('accounts.resetLink', { name: person.name }), made.link, made.expires_at));
  }));

  render();
  item.append(
    el('h2', { class: 'section-title' }, person.name),
    status,
    where,
    role.wrap,
    details,
    el('div', { class: 'row-actions' }, toggle, reset),
    alert,
    result);
  return item;
}

function InviteRow(invite, onRevoked) {
  const alert = el('p', { class: 'form-error', role: 'alert' });
  const revoke = el('button', { type: 'button', class: 'btn small danger' }, t('accounts.revoke'));
  const item = el('li', { class: 'card account' },
    el('p', {}, el('strong', {}, t(`role.${invite.role}`)), ' · ', invite.email || t('accounts.inviteAnyone')),
    el('p', { class: 'meta' }, t('accounts.inviteMeta', {
      name: invite.created_by || '—', date: fullDate(invite.expires_at, getLanguage()),
    })),
    el('div', { class: 'row-actions' }, revoke),
    alert);
  revoke.addEventListener('click', async () => {
    if (!(await confirmDialog({ message: t('accounts.confirmRevoke'), confirm: t('accounts.revoke'), cancel: t('accounts.cancel') }))) return;
    revoke.disabled = true;
    alert.textContent = '';
    try {
      await withdrawInvite(invite.id);
      item.remove();
      onRevoked();
      showToast(t('accounts.revoked'));
    } catch (err) {
      alert.textContent = errorMessage(err, t);
      revoke.disabled = false;
    }
  });
  return item;
}

export function PeopleAdminView(main, ctx) {
  socialStyles();
  ctx.setTitle(t('accounts.title'));
  if (store.get().me?.role !== 'admin') {
    main.append(el('p', { class: 'card' }, t('accounts.adminsOnly')));
    return null;
  }
  const query = field({ label: t('accounts.search'), type: 'search', name: 'q', autocomplete: 'off', enterkeyhint: 'search', maxlength: '100' });
  const form = el('form', { class: 'card form search-form', role: 'search' },
    query.wrap, el('button', { type: 'submit', class: 'btn primary' }, t('accounts.searchSubmit')));
  const list = el('ul', { class: 'accounts' });
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'btn', hidden: true }, t('accounts.more'));
  const inviteList = el('ul', { class: 'accounts' });
  const inviteStatus = el('p', { class: 'hint' });
  main.append(form, list, status, more,
    el('section', { class: 'stack' }, el('h2', { class: 'section-title' }, t('accounts.invites')), inviteStatus, inviteList));

  let alive = true;
  let cursor = null;
  let generation = 0;

  async function load(next = null) {
    const mine = ++generation;
    if (!next) clear(list);
    status.replaceChildren(el('p', {}, t('accounts.loading')));
    more.hidden = true;
    try {
      const page = await loadAccounts(query.input.value.trim(), next);
      if (!alive || mine !== generation) return;
      list.append(...page.items.map(AccountRow));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      status.replaceChildren(list.children.length ? '' : el('p', {}, t('accounts.none')));
    } catch (err) {
      if (alive && mine === generation) status.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
    }
  }

  function invitesLeft() {
    inviteStatus.textContent = inviteList.children.length ? '' : t('accounts.noInvites');
  }

  async function loadOpenInvites() {
    try {
      const invites = await loadInvites();
      if (!alive) return;
      inviteList.replaceChildren(...invites.map((invite) => InviteRow(invite, invitesLeft)));
      invitesLeft();
    } catch (err) {
      if (alive) inviteStatus.textContent = errorMessage(err, t);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  more.addEventListener('click', () => load(cursor));
  load();
  loadOpenInvites();
  return () => { alive = false; };
}
