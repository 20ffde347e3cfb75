import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('configuration', () => {
  it('defaults to PGlite in ./data', () => {
    const config = readConfig({});
    expect(config.backend.kind).toBe('pglite');
    expect('dataDir' in config.backend && config.backend.dataDir.endsWith('/data')).toBe(true);
  });

  it('follows KENNISDAG_DATA_DIR, DATABASE_URL and a complete Supabase configuration', () => {
    expect(readConfig({ KENNISDAG_DATA_DIR: '/tmp/kd' }).backend).toMatchObject({ kind: 'pglite', dataDir: '/tmp/kd' });
    expect(readConfig({ DATABASE_URL: 'postgres://u:p@db:5432/k' }).backend).toMatchObject({ kind: 'postgres' });
    expect(readConfig({ PUBLIC_SUPABASE_URL: 'https://x.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'k' }).backend).toMatchObject({
      kind: 'supabase',
      url: 'https://x.supabase.co'
    });
  });

  it('limits a venue address to a hall’s worth of joins by default, and follows the variables', () => {
    expect(readConfig({}).limits).toEqual({ joinsPerAddress: 2_500, lookupsPerAddress: 5_000 });
    expect(readConfig({ KENNISDAG_JOINS_PER_ADDRESS: '4000', KENNISDAG_LOOKUPS_PER_ADDRESS: '9000' }).limits).toEqual({ joinsPerAddress: 4000, lookupsPerAddress: 9000 });
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ DATABASE_URL: 'mysql://u@h/d' }, /must start with postgres:\/\//],
    [{ PUBLIC_SUPABASE_URL: 'https://x.supabase.co' }, /half configured.*PUBLIC_SUPABASE_ANON_KEY is missing/],
    [{ PUBLIC_SUPABASE_ANON_KEY: 'k' }, /half configured.*PUBLIC_SUPABASE_URL is missing/],
    [{ PUBLIC_SUPABASE_URL: 'x.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'k' }, /must be the project URL/],
    [{ PUBLIC_SUPABASE_URL: 'https://x.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'k', DATABASE_URL: 'postgres://h/d' }, /Choose one database/],
    [{ KENNISDAG_JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ KENNISDAG_ORGANISER_EMAIL: 'a@b.c' }, /both KENNISDAG_ORGANISER_EMAIL and KENNISDAG_ORGANISER_PASSWORD/],
    [{ KENNISDAG_ORGANISER_EMAIL: 'a@b.c', KENNISDAG_ORGANISER_PASSWORD: 'short' }, /at least 8 characters/],
    [{ KENNISDAG_PUBLIC_URL: 'kennisdag.local' }, /must start with http/],
    [{ KENNISDAG_JOINS_PER_ADDRESS: 'many' }, /KENNISDAG_JOINS_PER_ADDRESS must be a whole number/],
    [{ KENNISDAG_LOOKUPS_PER_ADDRESS: '0' }, /KENNISDAG_LOOKUPS_PER_ADDRESS must be a whole number of at least 1/]
  ])('refuses %o with one sentence saying what to fix', (env, message) => {
    let error: unknown;
    try {
      readConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.split(/\.\s/).length).toBeLessThanOrEqual(2);
  });
});
