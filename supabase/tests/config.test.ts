import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

/**
 * supabase/config.toml as Supabase Auth reads it (the CLI's pkg/config): `[auth] enable_signup` is
 * GOTRUE_DISABLE_SIGNUP inverted and also governs anonymous sign-ins; `[auth.email] enable_signup` is
 * the e-mail provider itself. The Supabase-shaped suite pushes with this file, so the CLI parses it too.
 */
const config = parse(readFileSync(new URL('../config.toml', import.meta.url), 'utf8')) as {
  auth: {
    enable_signup: boolean;
    enable_anonymous_sign_ins: boolean;
    jwt_expiry: number;
    rate_limit: Record<string, number>;
    email: { enable_signup: boolean };
  };
  realtime: { enabled: boolean };
};

describe('supabase/config.toml', () => {
  it('lets phones join anonymously and organisers sign in by e-mail', () => {
    expect(config.auth.enable_signup).toBe(true);
    expect(config.auth.enable_anonymous_sign_ins).toBe(true);
    expect(config.auth.email.enable_signup).toBe(true);
  });

  it('sets rate limits that hold a hall of 2,000 phones behind one address', () => {
    const hall = 2000;
    expect(config.auth.rate_limit.anonymous_users).toBeGreaterThanOrEqual(hall); // per hour
    expect(config.auth.rate_limit.token_refresh).toBeGreaterThanOrEqual(hall); // per 5 minutes
    expect(config.auth.rate_limit.sign_in_sign_ups).toBeGreaterThanOrEqual(30);
    expect(config.auth.jwt_expiry).toBe(3600);
    expect(config.realtime.enabled).toBe(true);
  });
});
