/** Every answer carries these: no content sniffing, and no full address leaking to other sites. */
export const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin'
} as const;

/** Pages get SvelteKit's policy (svelte.config.js); everything else (exports, JSON) may run nothing. */
export const nonPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
