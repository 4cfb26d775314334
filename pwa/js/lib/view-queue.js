// The views waiting to be sent: one entry per post, and for a video how much of it was watched.
// Pure (no DOM): actions/record-views.js feeds it from the page and sends what take() returns.

export const MAX_BATCH = 100; // the server's limit per request (server/views/schemas.py)
const MIN_STEP = 1; // seconds: a video is reported again only once a second more was watched
const DAY = 86400; // the server refuses longer figures

/** Seconds of a media element's `played` TimeRanges: what was really watched, not where it stopped. */
export function playedSeconds(ranges) {
  let total = 0;
  for (let i = 0; i < (ranges?.length || 0); i += 1) total += Math.max(0, ranges.end(i) - ranges.start(i));
  return total;
}

const SLACK = 0.5; // seconds: timeupdate fires every 15-250 ms, so a step may run a little ahead of the clock

/**
 * playClock(): the seconds a clip really played, from its position at each timeupdate and the
 * wall clock (ms). A forward step counts; a loop's wrap counts the end and the new start, so loops
 * add up; a step longer than the time that passed (a seek, a new source) counts nothing.
 * mark(position, at) sets where the next step starts; take() returns what played since the last take.
 */
export function playClock() {
  let last = null;
  let total = 0;
  let taken = 0;
  return {
    mark(position, at) {
      last = { position, at };
    },
    tick(position, duration, at) {
      if (last) {
        const elapsed = Math.max(0, (at - last.at) / 1000);
        let step = position - last.position;
        if (step < 0 && duration > 0) step = duration - last.position + position; // looped to the start
        if (step > 0 && step <= elapsed + SLACK) total += step;
      }
      last = { position, at };
    },
    get total() {
      return total;
    },
    take() {
      const played = total - taken;
      taken = total;
      return played;
    },
  };
}

const round = (seconds) => Math.round(seconds * 10) / 10;

/**
 * viewQueue(): seen(id), played(id, seconds, duration), watched(id, seconds, duration),
 * take(max) -> items, restore(items), size.
 */
export function viewQueue() {
  const pending = new Map(); // post id -> item as the API takes it
  const sent = new Map(); // post id -> watched seconds already sent
  const totals = new Map(); // post id -> seconds played this session, from every player of it

  return {
    get size() {
      return pending.size;
    },
    /** The post was on screen long enough to count. */
    seen(id) {
      if (!pending.has(id)) pending.set(id, { post_id: id });
    },
    /**
     * A video played `seconds` more (a playClock's take()), in the Videos pager or a feed card: its
     * session total grows, so loops and a second player of the same post add up. As watched().
     */
    played(id, seconds, duration) {
      const total = (totals.get(id) || 0) + Math.max(0, Number(seconds) || 0);
      totals.set(id, total);
      return this.watched(id, total, duration);
    },
    /** A video played `seconds` in all (of `duration`); false when it adds nothing worth a request. */
    watched(id, seconds, duration) {
      const watched = round(Math.min(Math.max(0, Number(seconds) || 0), DAY));
      const last = pending.get(id)?.watched_seconds ?? sent.get(id) ?? 0;
      if (watched <= 0 || watched < last + MIN_STEP) return false;
      const item = { post_id: id, watched_seconds: watched };
      const length = Number(duration);
      if (Number.isFinite(length) && length > 0 && length <= DAY) item.duration = round(length);
      pending.set(id, item);
      return true;
    },
    /** Up to `max` items for one request; they count as sent until restore() puts them back. */
    take(max = MAX_BATCH) {
      const items = [...pending.values()].slice(0, max);
      for (const item of items) {
        pending.delete(item.post_id);
        if (item.watched_seconds) sent.set(item.post_id, Math.max(sent.get(item.post_id) || 0, item.watched_seconds));
      }
      return items;
    },
    /** The request failed: send these again with the next batch (a newer figure for a post wins). */
    restore(items) {
      for (const item of items) {
        if (item.watched_seconds && sent.get(item.post_id) === item.watched_seconds) sent.delete(item.post_id);
        const newer = pending.get(item.post_id);
        if (!newer || (newer.watched_seconds ?? 0) < (item.watched_seconds ?? 0)) pending.set(item.post_id, item);
      }
    },
  };
}
