import { joinEventSchema } from '../../schemas';
import { parseInput } from '../../validation';
import { camelKeys } from '../actor';
import type { AuthPort, AuthSession } from '../auth/port';
import type { Database } from '../db/types';

export interface JoinResult {
  session: AuthSession;
  participantId: string;
  eventId: string;
}

/**
 * A phone joins with the short code: a device that has no session yet gets an anonymous account
 * first (Supabase's signInAnonymously, or the embedded equivalent), then becomes a member.
 */
export async function joinEvent(db: Database, auth: AuthPort, session: AuthSession | null, input: unknown): Promise<JoinResult> {
  const i = parseInput(joinEventSchema, input);
  const current = session ?? (await auth.signInAnonymously());
  const member = camelKeys<{ id: string; eventId: string }>(
    await db.rpc(
      'join_event',
      { p_code: i.code, p_name: i.name, p_organisation: i.organisation, p_job_title: i.role, p_listed: i.listed, p_guest_id: i.guestId ?? null },
      { kind: 'user', claims: current.claims, accessToken: current.accessToken }
    )
  );
  return { session: current, participantId: member.id, eventId: member.eventId };
}
