// Reactions on a post as plain data: counts per kind and the viewer's own, toggled
// optimistically and replaced by the server's answer (or rolled back on error).

export const KINDS = ['like', 'clap', 'party', 'idea'];
export const EMOJI = { like: '❤️', clap: '👏', party: '🎉', idea: '💡' };

/** {counts: {like, clap, party, idea}, mine: [kinds]} from a post or a ReactionSummary. */
export function reactionState({ reactions = {}, my_reactions: mine = [] } = {}) {
  const counts = {};
  for (const kind of KINDS) counts[kind] = Math.max(0, Number(reactions[kind]) || 0);
  return { counts, mine: KINDS.filter((kind) => mine.includes(kind)) };
}

export function hasReacted(state, kind) {
  return state.mine.includes(kind);
}

/** The state after the viewer taps kind: on when it was off, off when it was on. */
export function toggleReaction(state, kind) {
  if (!KINDS.includes(kind)) return state;
  const on = !hasReacted(state, kind);
  const counts = { ...state.counts, [kind]: Math.max(0, state.counts[kind] + (on ? 1 : -1)) };
  const mine = on ? KINDS.filter((k) => k === kind || state.mine.includes(k)) : state.mine.filter((k) => k !== kind);
  return { counts, mine };
}

export function totalReactions(state) {
  return KINDS.reduce((sum, kind) => sum + state.counts[kind], 0);
}
