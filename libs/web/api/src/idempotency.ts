/**
 * A fresh Idempotency-Key (a random UUID v4) for one attempt of a write; every retry of that attempt
 * sends the same key. Built from crypto.getRandomValues, which browsers also give pages served over
 * plain http (a phone on the LAN), where crypto.randomUUID is missing.
 */
export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
