/**
 * A random id for the browser (idempotency keys, an open page's id): `crypto.randomUUID` exists only
 * on https pages, and the laptop in the room serves plain http on the local network.
 */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
