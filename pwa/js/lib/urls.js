// Building API paths and shareable links.

/** "/api/feed?cursor=…&author=…" with empty parameters left out. */
export function withQuery(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function feedPath({ cursor, author, kind, limit, scope } = {}) {
  return withQuery('/api/feed', { cursor, author, kind, limit, scope });
}

/** The first page of the main feed: the one response the service worker keeps for offline use. */
export function isFirstFeedPage(url) {
  const parsed = new URL(url, 'http://x');
  if (parsed.pathname !== '/api/feed') return false;
  for (const key of ['cursor', 'author', 'kind', 'scope', 'tag']) {
    if (parsed.searchParams.get(key)) return false;
  }
  return true;
}

/** An absolute link to a route of the app, e.g. for sharing a post or an invite. */
export function appLink(base, hash) {
  const url = new URL(base);
  url.hash = hash.replace(/^#/, '');
  return url.href;
}
