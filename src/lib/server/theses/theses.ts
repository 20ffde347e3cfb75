import {
  addThesisSchema,
  editThesisSchema,
  moderateThesisSchema,
  moveThesisSchema,
  reorderSchema,
  submitThesisSchema,
  thesisRefSchema,
  updateThesisSchema,
  upvoteSchema
} from '../../schemas';
import type { ThesisStatus } from '../../domain';
import { parseInput } from '../../validation';
import { camelKeys, type Actor } from '../actor';

export interface ThesisRecord {
  id: string;
  eventId: string;
  text: string;
  status: ThesisStatus;
  position: number;
  mergedIntoId: string | null;
  discussedOrder: number | null;
}

const toThesis = (row: Record<string, unknown>): ThesisRecord => {
  const t = camelKeys<ThesisRecord>(row);
  return { id: t.id, eventId: t.eventId, text: t.text, status: t.status, position: t.position, mergedIntoId: t.mergedIntoId, discussedOrder: t.discussedOrder };
};

export async function submitThesis(actor: Actor, eventId: string, input: unknown): Promise<ThesisRecord> {
  const i = parseInput(submitThesisSchema, input);
  return toThesis(await actor.db.rpc('submit_thesis', { p_event_id: eventId, p_text: i.text, p_idempotency_key: i.idempotencyKey }, actor.caller));
}

export async function editThesis(actor: Actor, input: unknown): Promise<ThesisRecord> {
  const i = parseInput(editThesisSchema, input);
  return toThesis(await actor.db.rpc('edit_thesis', { p_thesis_id: i.thesisId, p_text: i.text }, actor.caller));
}

export async function moderateThesis(actor: Actor, input: unknown): Promise<ThesisRecord> {
  const i = parseInput(moderateThesisSchema, input);
  return toThesis(
    await actor.db.rpc('moderate_thesis', { p_thesis_id: i.thesisId, p_status: i.status, p_position: i.position, p_merged_into: i.mergedInto }, actor.caller)
  );
}

export async function moveThesis(actor: Actor, input: unknown): Promise<void> {
  const i = parseInput(moveThesisSchema, input);
  await actor.db.rpc('move_thesis', { p_thesis_id: i.thesisId, p_position: i.position }, actor.caller);
}

export async function reorderTheses(actor: Actor, eventId: string, input: unknown): Promise<void> {
  const { ids } = parseInput(reorderSchema, input);
  await actor.db.rpc('reorder_theses', { p_event_id: eventId, p_thesis_ids: ids }, actor.caller);
}

export async function startThesis(actor: Actor, input: unknown): Promise<ThesisRecord> {
  const { thesisId } = parseInput(thesisRefSchema, input);
  return toThesis(await actor.db.rpc('start_thesis', { p_thesis_id: thesisId }, actor.caller));
}

export async function finishThesis(actor: Actor, input: unknown): Promise<ThesisRecord> {
  const { thesisId } = parseInput(thesisRefSchema, input);
  return toThesis(await actor.db.rpc('finish_thesis', { p_thesis_id: thesisId }, actor.caller));
}

/** Time is up: returns how many approved theses were marked not discussed. */
export async function endDiscussion(actor: Actor, eventId: string): Promise<{ notDiscussed: number }> {
  return { notDiscussed: await actor.db.rpc<number>('end_discussion', { p_event_id: eventId }, actor.caller) };
}

/** A prepared thesis, straight into the queue with the name of who brings it (chair and organiser). */
export async function addThesis(actor: Actor, eventId: string, input: unknown): Promise<ThesisRecord> {
  const i = parseInput(addThesisSchema, input);
  return toThesis(await actor.db.rpc('add_thesis', { p_event_id: eventId, p_text: i.text, p_author_name: i.authorName }, actor.caller));
}

/** The chair corrects a thesis and who brought it. */
export async function updateThesis(actor: Actor, input: unknown): Promise<ThesisRecord> {
  const i = parseInput(updateThesisSchema, input);
  return toThesis(await actor.db.rpc('update_thesis', { p_thesis_id: i.thesisId, p_text: i.text, p_author_name: i.authorName }, actor.caller));
}

/** Deletes a prepared thesis that has no part in the day's record yet. */
export async function deleteThesis(actor: Actor, input: unknown): Promise<void> {
  const { thesisId } = parseInput(thesisRefSchema, input);
  await actor.db.rpc('delete_thesis', { p_thesis_id: thesisId }, actor.caller);
}

/** A participant's upvote on a thesis in the queue, set or taken back. */
export async function upvoteThesis(actor: Actor, input: unknown): Promise<{ thesisId: string; upvoted: boolean }> {
  const i = parseInput(upvoteSchema, input);
  return actor.db.rpc('upvote_thesis', { p_thesis_id: i.thesisId, p_upvoted: i.upvoted }, actor.caller);
}

/** The queue in order of upvotes, most first. */
export async function sortQueueByUpvotes(actor: Actor, eventId: string): Promise<void> {
  await actor.db.rpc('sort_queue_by_upvotes', { p_event_id: eventId }, actor.caller);
}
