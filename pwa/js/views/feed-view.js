// Feed: every post ("Company") or the people I follow ("Following"), pinned ones first, loaded
// as you scroll. The choice is remembered; a pill says when colleagues posted meanwhile.
import { t } from '../lib/i18n.js';
import { store } from '../actions/app-state.js';
import { routeHash } from '../lib/router.js';
import { el } from '../components/dom.js';
import { icon } from '../components/icons.js';
import { FeedList } from '../components/feed-list.js';

const SCOPE_KEY = 'hallway.feedScope';

/** The scope chosen last time on this device (main.js prefetches the Company feed's first page). */
export function storedScope() {
  try {
    return localStorage.getItem(SCOPE_KEY) === 'following' ? 'following' : 'company';
  } catch {
    return 'company';
  }
}

export function FeedView(main, ctx) {
  ctx.setTitle(t('feed.title'));
  const { justPosted, me } = store.get();
  store.set({ justPosted: null });
  let scope = storedScope();
  const holder = el('section', { class: 'feed' });
  const buttons = ['company', 'following'].map((name) => el('button', {
    type: 'button', class: 'seg', 'aria-pressed': String(scope === name), onclick: () => choose(name),
  }, t(`feed.${name}`)));
  main.append(el('div', { class: 'feed-scope', role: 'group', 'aria-label': t('feed.scope') }, buttons), holder);

  let list = null;
  const mount = (highlight = null) => {
    list?.destroy();
    // "company" is the default: the first page without parameters is the one kept for offline use.
    list = FeedList(holder, { query: scope === 'following' ? { scope } : {}, highlight });
  };
  function choose(name) {
    if (name === scope) return;
    scope = name;
    try {
      localStorage.setItem(SCOPE_KEY, scope);
    } catch {
      // storage disabled: remembered for this screen only
    }
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(['company', 'following'][i] === scope)));
    mount();
  }
  mount(justPosted);

  ctx.setActions(
    el('a', { class: 'icon-btn', href: routeHash('search'), 'aria-label': t('search.title'), title: t('search.title') }, icon('search')),
    el('button', {
      type: 'button', class: 'icon-btn', onclick: () => { list.refresh(); },
      'aria-label': t('feed.refresh'), title: t('feed.refresh'),
    }, icon('refresh')));

  // The live pill and view counting load after the first paint; they are not part of the first load.
  let alive = true;
  const extras = [];
  import('../components/new-posts.js').then(({ NewPostsPill }) => {
    if (alive) extras.push(NewPostsPill(main, { meId: me?.id, onShow: () => list.refresh() }));
  }).catch(() => {});
  if ('IntersectionObserver' in window) {
    import('../actions/record-views.js').then(({ RecordViews }) => {
      if (alive) extras.push(RecordViews(holder));
    }).catch(() => {});
  }
  return () => {
    alive = false;
    for (const extra of extras) extra.destroy();
    list.destroy();
  };
}
