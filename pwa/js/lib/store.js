// The app's little shared state (who is signed in, connectivity); views subscribe to changes.

export function createStore(initial = {}) {
  let state = { ...initial };
  const listeners = new Set();
  return {
    get: () => state,
    set(patch) {
      const prev = state;
      state = { ...state, ...patch };
      for (const fn of listeners) fn(state, prev);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** Merge a page of posts into a list: replace known ids, append new ones, keep order. */
export function mergePosts(existing, incoming) {
  const index = new Map(existing.map((p, i) => [p.id, i]));
  const out = existing.slice();
  for (const post of incoming) {
    if (index.has(post.id)) out[index.get(post.id)] = post;
    else {
      index.set(post.id, out.length);
      out.push(post);
    }
  }
  return out;
}
