// Pure logic of announcements: the composer's payload and what a must-read card offers.

export const WATCH_SHARE = 0.8;

/** "Sales, Support\nOps" -> ['Sales', 'Support', 'Ops'] (empty names dropped, duplicates kept once). */
export function splitNames(text) {
  const seen = new Set();
  return String(text || '').split(/[,\n]/).map((s) => s.trim()).filter((s) => {
    const key = s.toLowerCase();
    if (!s || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A datetime-local value ("2030-03-02T08:00") read in the phone's time zone, as an ISO string with offset. */
export function localToIso(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The POST /api/announcements body from the form's values. */
export function announcementPayload({ body, pinned, pinnedUntil, mustRead, audienceKind, names, when, publishAt }) {
  const payload = { body: String(body || '').trim(), pinned: Boolean(pinned), must_read: Boolean(mustRead) };
  if (pinned && pinnedUntil) payload.pinned_until = localToIso(pinnedUntil);
  if (audienceKind === 'departments' || audienceKind === 'locations') payload.audience = { [audienceKind]: splitNames(names) };
  else payload.audience = { everyone: true };
  if (when === 'later') payload.publish_at = localToIso(publishAt);
  return payload;
}

/** What a post's must-read strip shows for the signed-in person (null: nothing). */
export function mustReadModel(post, meId) {
  if (!post?.must_read || !post.announcement || post.status !== 'published') return null;
  if (post.author?.id === meId) return null;
  if (post.acknowledged) return { state: 'done' };
  if (post.kind === 'video' && (post.watched || 0) < WATCH_SHARE) return { state: 'watch' };
  return { state: 'ready' };
}
