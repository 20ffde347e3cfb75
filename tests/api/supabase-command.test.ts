import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run test:supabase` without a project: it says what to set and stops without failing. */
const script = join(import.meta.dirname, '../../scripts/test-supabase.mjs');
const names = ['PUBLIC_SUPABASE_URL', 'PUBLIC_SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY'];

function run(env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.includes(name))) as Record<string, string>;
  return spawnSync(process.execPath, [script], { env: { ...base, ...env }, encoding: 'utf8', timeout: 30_000 });
}

describe('npm run test:supabase without a project', () => {
  it('names every variable to set, and exits 0', () => {
    const result = run({});
    expect(result.status).toBe(0);
    for (const name of names) expect(result.stdout).toContain(name);
    expect(result.stdout).toContain('Deploy on Supabase');
  });

  it('names only the variables still missing, an empty one included', () => {
    const result = run({ PUBLIC_SUPABASE_URL: 'https://example.supabase.co', PUBLIC_SUPABASE_ANON_KEY: '  ' });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('PUBLIC_SUPABASE_URL');
    expect(result.stdout).toContain('PUBLIC_SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY');
  });
});
