import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { SupabaseDatabase } from './supabase';
import type { Caller } from './types';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A stand-in for PostgREST that records each request supabase-js makes and answers with `reply`. */
function recordingFetch(reply: (seen: Seen) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const headers = Object.fromEntries(request.headers);
    const text = await request.text();
    const entry = { url: request.url, method: request.method, headers, body: text ? JSON.parse(text) : undefined };
    seen.push(entry);
    const { status, body } = reply(entry);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

const participant: Caller = {
  kind: 'user',
  accessToken: 'participant-token',
  claims: { sub: '5f1c7a32-7d4e-4c61-9a0a-0c1c1d1e1f10', role: 'authenticated', aud: 'authenticated', is_anonymous: true }
};

describe('the Supabase adapter', () => {
  it('calls a domain function as POST /rest/v1/rpc/<fn> with the caller token and the named arguments', async () => {
    const { seen, fetch } = recordingFetch(() => ({ status: 200, body: { pollId: 'p', optionIndex: 3, word: null } }));
    const db = new SupabaseDatabase({ url: 'https://project.supabase.co', anonKey: 'anon-key', fetch });

    const result = await db.rpc('cast_vote', { p_poll_id: 'p', p_option_index: 3, p_word: undefined, p_idempotency_key: 'k1' }, participant);

    expect(result).toEqual({ pollId: 'p', optionIndex: 3, word: null });
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe('https://project.supabase.co/rest/v1/rpc/cast_vote');
    expect(seen[0].headers.apikey).toBe('anon-key');
    expect(seen[0].headers.authorization).toBe('Bearer participant-token');
    expect(seen[0].headers['content-type']).toContain('application/json');
    // Undefined arguments are left out, so the function's defaults apply as on the other back ends.
    expect(seen[0].body).toEqual({ p_poll_id: 'p', p_option_index: 3, p_idempotency_key: 'k1' });
  });

  it('calls as anon with the anon key, and as the server with the service role key', async () => {
    const { seen, fetch } = recordingFetch(() => ({ status: 200, body: null }));
    const db = new SupabaseDatabase({ url: 'https://project.supabase.co', anonKey: 'anon-key', serviceRoleKey: 'service-key', fetch });

    await db.rpc('lookup_event', { p_code: 'ABC234' }, { kind: 'anon' });
    await db.rpc('live_poll_tally', { p_poll_id: 'p' }, { kind: 'service' });

    expect(seen[0].headers.authorization).toBe('Bearer anon-key');
    expect(seen[0].body).toEqual({ p_code: 'ABC234' });
    expect(seen[1].headers.apikey).toBe('service-key');
    expect(seen[1].headers.authorization).toBe('Bearer service-key');
  });

  it('turns a PostgREST error with a domain SQLSTATE into the same AppError as the embedded back ends', async () => {
    const { fetch } = recordingFetch(() => ({
      status: 400,
      body: { code: 'KD409', message: 'This poll is closed.', details: null, hint: null }
    }));
    const db = new SupabaseDatabase({ url: 'https://project.supabase.co', anonKey: 'anon-key', fetch });

    const error = await db.rpc('cast_vote', { p_poll_id: 'p', p_option_index: 1 }, participant).catch((e) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'This poll is closed.' });
  });

  it('refuses a server call without a service role key instead of sending it as anon', async () => {
    const { seen, fetch } = recordingFetch(() => ({ status: 200, body: null }));
    const db = new SupabaseDatabase({ url: 'https://project.supabase.co', anonKey: 'anon-key', fetch });

    await expect(db.rpc('live_public_state', { p_event_id: 'e' }, { kind: 'service' })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(0);
  });
});
