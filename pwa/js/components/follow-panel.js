// On a colleague's profile: follower counts, Follow / Following, and the kudos they received.
import { follow, unfollow, personKudos } from '../api/social.js';
import { errorMessage } from '../lib/errors.js';
import { t, formatNumber } from '../lib/i18n.js';
import { el, clear } from './dom.js';
import { showToast } from './toast.js';
import { FeedList } from './feed-list.js';

/** FollowPanel(person): the counts and the button (none on one's own profile). */
export function FollowPanel(person) {
  let state = { following: person.is_following, followers: person.followers };
  const followers = el('span', { class: 'meta' });
  const button = el('button', { type: 'button', class: 'btn', onclick: toggle });
  const root = el('div', { class: 'profile-social' },
    person.is_me ? null : button, followers,
    el('span', { class: 'meta' }, t('follow.followingCount', { n: formatNumber(person.following) })),
    el('span', { class: 'meta' }, t('follow.kudos', { n: formatNumber(person.kudos) })));

  function render() {
    followers.textContent = t('follow.followers', { n: state.followers });
    button.setAttribute('aria-pressed', String(state.following));
    button.className = state.following ? 'btn' : 'btn primary';
    button.textContent = t(state.following ? 'follow.following' : 'follow.follow');
  }

  async function toggle() {
    button.disabled = true;
    try {
      state = await (state.following ? unfollow(person.id) : follow(person.id));
      showToast(t(state.following ? 'follow.done' : 'follow.undone', { name: person.name }));
    } catch (err) {
      showToast(errorMessage(err, t));
    } finally {
      button.disabled = false;
      render();
    }
  }
  render();
  return root;
}

/** The posts that thank this person, as cards. */
export function KudosList(holder, person) {
  clear(holder);
  return FeedList(holder, {
    load: ({ cursor }) => personKudos(person.id, cursor),
    label: t('follow.kudosTitle'),
    empty: t('follow.noKudos'),
    emptyWrite: false,
  });
}
