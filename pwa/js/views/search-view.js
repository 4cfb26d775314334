// Search (#/search or #/search/WORDS): posts and comments ranked by the server with the matched
// words marked, and colleagues by name, department or expertise. The company's memory.
import { search } from '../api/social.js';
import { searchPeople } from '../api/people.js';
import { errorMessage } from '../lib/errors.js';
import { t, getLanguage } from '../lib/i18n.js';
import { relativeTime } from '../lib/relative-time.js';
import { routeHash } from '../lib/router.js';
import { snippetNodes, readableMentions } from '../lib/snippet.js';
import { el, clear, field } from '../components/dom.js';
import { socialStyles } from '../components/lazy-styles.js';

function hitItem(hit) {
  const isComment = hit.type === 'comment';
  const who = isComment ? hit.comment.author : hit.post.author;
  const at = isComment ? hit.comment.created_at : (hit.post.published_at || hit.post.created_at);
  const segments = (hit.snippet || []).map((s) => ({ ...s, text: readableMentions(s.text) }));
  return el('li', { class: `search-hit ${hit.type}` },
    el('a', { href: routeHash('post', hit.post.id), class: 'hit-link' },
      el('span', { class: 'hit-head' },
        t(isComment ? 'search.commentBy' : 'search.postBy', { name: who?.name || '—' }),
        el('span', { class: 'meta' }, ` · ${relativeTime(at, { lang: getLanguage(), justNow: t('time.justNow') })}`)),
      el('span', { class: 'snippet', dir: 'auto' }, snippetNodes(segments))));
}

export function SearchView(main, ctx) {
  socialStyles();
  ctx.setTitle(t('search.title'));
  const query = field({ label: t('search.label'), type: 'search', name: 'q', value: ctx.route.id || '', autocomplete: 'off', enterkeyhint: 'search', maxlength: '200' });
  const form = el('form', { class: 'card form search-form', role: 'search', onsubmit: submit },
    query.wrap, el('button', { type: 'submit', class: 'btn primary' }, t('search.submit')));
  const people = el('section', { class: 'search-people', hidden: true },
    el('h2', { class: 'section-title' }, t('search.people')), el('ul', { class: 'people' }));
  const results = el('ol', { class: 'search-results' });
  const postsSection = el('section', { class: 'search-posts', hidden: true },
    el('h2', { class: 'section-title' }, t('search.posts')), results);
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' }, el('p', {}, t('search.hint')));
  const more = el('button', { type: 'button', class: 'btn', hidden: true, onclick: () => loadMore() }, t('search.more'));
  main.append(form, people, postsSection, status, more);

  let q = '';
  let cursor = null;
  let generation = 0;

  async function run(text) {
    q = text.trim();
    cursor = null;
    const mine = ++generation;
    clear(results);
    people.hidden = true;
    postsSection.hidden = true;
    more.hidden = true;
    if (!q) {
      status.replaceChildren(el('p', {}, t('search.hint')));
      return;
    }
    status.replaceChildren(el('p', {}, t('feed.loading')));
    try {
      const [page, found] = await Promise.all([search(q), searchPeople(q).catch(() => ({ items: [] }))]);
      if (mine !== generation) return;
      const list = people.querySelector('ul');
      clear(list).append(...(found.items || []).slice(0, 5).map((p) => el('li', {},
        el('a', { href: routeHash('people', p.id) }, p.name),
        [p.title, p.department].filter(Boolean).length ? el('span', { class: 'meta' }, ` · ${[p.title, p.department].filter(Boolean).join(' · ')}`) : null)));
      people.hidden = !list.children.length;
      show(page);
    } catch (err) {
      if (mine === generation) status.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
    }
  }

  function show(page) {
    results.append(...(page.items || []).map(hitItem));
    postsSection.hidden = !results.children.length;
    cursor = page.next_cursor || null;
    more.hidden = !cursor;
    const nothing = !results.children.length && people.hidden;
    status.replaceChildren(nothing ? el('p', {}, t('search.none', { q })) : '');
  }

  async function loadMore() {
    const mine = generation;
    more.disabled = true;
    try {
      const page = await search(q, cursor);
      if (mine === generation) show(page);
    } catch (err) {
      status.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, errorMessage(err, t)));
    } finally {
      more.disabled = false;
    }
  }

  function submit(event) {
    event.preventDefault();
    const text = query.input.value;
    // Keep the words in the address (back from a result returns here) without re-rendering.
    history.replaceState(null, '', text.trim() ? routeHash('search', text.trim()) : routeHash('search'));
    run(text);
  }

  if (ctx.route.id) run(ctx.route.id);
  else query.input.focus();
  return () => { generation += 1; };
}
