// Hash routes, so the service worker caches a single shell (index.html).

export const PUBLIC_ROUTES = new Set(['join', 'reset']);
const SIMPLE = new Set(['feed', 'videos', 'new', 'notifications', 'profile', 'announce', 'search', 'accounts']);
const WITH_ID = new Set(['people', 'post', 'join', 'reset', 'tag', 'mention', 'stats', 'search']);

/** Parse "#/people/12" into {name: 'people', id: '12'}; anything unknown is the feed. */
export function parseRoute(hash) {
  const path = String(hash || '').replace(/^#\/?/, '').split('?')[0];
  const [name = '', ...rest] = path.split('/');
  const id = rest.join('/');
  if (SIMPLE.has(name) && !id) return { name };
  if (WITH_ID.has(name) && id) {
    let decoded;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      return { name: 'feed' };
    }
    return { name, id: decoded };
  }
  return { name: 'feed' };
}

/** The query of a hash route: routeQuery("#/new?share=failed").get("share") -> "failed". */
export function routeQuery(hash) {
  const path = String(hash || '');
  const at = path.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : path.slice(at + 1));
}

/** The hash for a route: routeHash('people', 7) -> "#/people/7". */
export function routeHash(name, id) {
  return id === undefined || id === null ? `#/${name}` : `#/${name}/${encodeURIComponent(id)}`;
}

/** Which bottom-navigation tab a route belongs to (null: none is current). */
export function navTab(route) {
  if (route.name === 'accounts') return 'profile'; // opened from the profile
  if (SIMPLE.has(route.name)) return route.name;
  if (route.name === 'post' || route.name === 'tag' || route.name === 'mention') return 'feed';
  return null;
}
