// Idempotency-Key values for creating posts and comments: one per intended request, kept across
// its retries, so a retry after a lost answer never makes a second post (the server answers it
// with the first one). No DOM, no network.

/** A random UUID v4. crypto.randomUUID exists only on https; getRandomValues everywhere. */
export function newKey(cryptoImpl = globalThis.crypto) {
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * keyFor(previous, payload) -> {key, payload}: the previous key while the payload is the same
 * (a retry), a new one once the person changed what they send (a new request: reusing the key
 * would make the server refuse it with 422).
 */
export function keyFor(previous, payload, make = newKey) {
  const text = JSON.stringify(payload);
  if (previous && previous.key && previous.payload === text) return previous;
  return { key: make(), payload: text };
}
