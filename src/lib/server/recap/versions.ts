import { userError } from '../../errors';
import { recapRefSchema, updateRecapSchema } from '../../schemas';
import { parseInput } from '../../validation';
import type { Actor } from '../actor';
import type { Database } from '../db/types';
import { anonCaller } from '../db/types';

export interface RecapVersion {
  id: string;
  eventId: string;
  version: number;
  markdown: string;
  engine: 'builtin' | 'llm' | 'manual';
  status: 'draft' | 'published';
  slug: string | null;
  publishedAt: string | null;
  createdAt: string;
}

export interface PublishedRecap {
  id: string;
  eventId: string;
  title: string;
  language: 'nl' | 'en';
  markdown: string;
  publishedAt: string;
  version: number;
}

/**
 * Every save is a new version; earlier ones stay readable. Edits name the version they started from
 * (`baseRecapId`): when a newer version exists by now, the save is refused with a 409.
 */
export async function saveRecapVersion(
  actor: Actor,
  eventId: string,
  markdown: string,
  engine: RecapVersion['engine'],
  baseRecapId?: string
): Promise<RecapVersion> {
  const row = await actor.db.rpc<{ id: string }>(
    'save_recap',
    { p_event_id: eventId, p_markdown: markdown, p_engine: engine, p_base_recap_id: baseRecapId },
    actor.caller
  );
  return getRecap(actor, { recapId: row.id });
}

export function getRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId } = parseInput(recapRefSchema, input);
  return actor.db.rpc<RecapVersion>('get_recap', { p_recap_id: recapId }, actor.caller);
}

/** One version of this event's recap; a version of another event is not found here. */
export async function getEventRecap(actor: Actor, eventId: string, recapId: string): Promise<RecapVersion> {
  const recap = await getRecap(actor, { recapId });
  if (recap.eventId !== eventId) throw userError(404, 'not_found', 'refusal.notInEvent', { field: { key: 'field.recap' } });
  return recap;
}

export function listRecaps(actor: Actor, eventId: string): Promise<Omit<RecapVersion, 'markdown'>[]> {
  return actor.db.rpc('list_recaps', { p_event_id: eventId }, actor.caller);
}

/** The organiser's edit of one version: saved as the next version, if that version is still the newest. */
export async function updateRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId, markdown } = parseInput(updateRecapSchema, input);
  const current = await getRecap(actor, { recapId });
  return saveRecapVersion(actor, current.eventId, markdown, 'manual', recapId);
}

/** The text on the organiser's screen as a version: the version itself when unchanged, else its edit. */
export async function recapAsShown(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId, markdown } = parseInput(updateRecapSchema, input);
  const current = await getRecap(actor, { recapId });
  return current.markdown === markdown ? current : saveRecapVersion(actor, current.eventId, markdown, 'manual', recapId);
}

export async function publishRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId } = parseInput(recapRefSchema, input);
  await actor.db.rpc('publish_recap', { p_recap_id: recapId }, actor.caller);
  return getRecap(actor, { recapId });
}

export async function unpublishRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId } = parseInput(recapRefSchema, input);
  await actor.db.rpc('unpublish_recap', { p_recap_id: recapId }, actor.caller);
  return getRecap(actor, { recapId });
}

/** What anyone may read at /r/<slug>: only a published version. */
export async function getPublishedRecap(db: Database, slug: string): Promise<PublishedRecap> {
  const recap = /^[a-z0-9-]{8,80}$/.test(slug) ? await db.rpc<PublishedRecap | null>('get_published_recap', { p_slug: slug }, anonCaller) : null;
  if (!recap) throw userError(404, 'not_found', 'refusal.recapNotPublished');
  return recap;
}
