import { AppError } from '../../errors';
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

/** Every save is a new version; earlier ones stay readable. */
export async function saveRecapVersion(actor: Actor, eventId: string, markdown: string, engine: RecapVersion['engine']): Promise<RecapVersion> {
  const row = await actor.db.rpc<{ id: string }>('save_recap', { p_event_id: eventId, p_markdown: markdown, p_engine: engine }, actor.caller);
  return getRecap(actor, { recapId: row.id });
}

export function getRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId } = parseInput(recapRefSchema, input);
  return actor.db.rpc<RecapVersion>('get_recap', { p_recap_id: recapId }, actor.caller);
}

export function listRecaps(actor: Actor, eventId: string): Promise<Omit<RecapVersion, 'markdown'>[]> {
  return actor.db.rpc('list_recaps', { p_event_id: eventId }, actor.caller);
}

/** The organiser's edit: saved as the next version of the same event's recap. */
export async function updateRecap(actor: Actor, input: unknown): Promise<RecapVersion> {
  const { recapId, markdown } = parseInput(updateRecapSchema, input);
  const current = await getRecap(actor, { recapId });
  return saveRecapVersion(actor, current.eventId, markdown, 'manual');
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
  if (!recap) throw new AppError(404, 'not_found', 'This recap does not exist or is not published.');
  return recap;
}
