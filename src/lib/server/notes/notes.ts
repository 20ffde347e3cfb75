import { addNoteSchema, noteRefSchema, updateNoteSchema } from '../../schemas';
import type { Note } from '../../types';
import { parseInput } from '../../validation';
import { camelKeys, type Actor } from '../actor';

const toNote = (row: Record<string, unknown>) => camelKeys<Note & { eventId: string }>(row);

export async function addNote(actor: Actor, eventId: string, input: unknown) {
  const i = parseInput(addNoteSchema, input);
  return toNote(
    await actor.db.rpc(
      'add_note',
      { p_event_id: eventId, p_thesis_id: i.thesisId, p_agenda_item_id: i.agendaItemId, p_kind: i.kind, p_text: i.text, p_speaker: i.speaker },
      actor.caller
    )
  );
}

export async function updateNote(actor: Actor, input: unknown) {
  const i = parseInput(updateNoteSchema, input);
  return toNote(await actor.db.rpc('update_note', { p_note_id: i.noteId, p_kind: i.kind, p_text: i.text, p_speaker: i.speaker }, actor.caller));
}

export async function deleteNote(actor: Actor, input: unknown): Promise<void> {
  const { noteId } = parseInput(noteRefSchema, input);
  await actor.db.rpc('delete_note', { p_note_id: noteId }, actor.caller);
}

export function listNotes(actor: Actor, eventId: string): Promise<Note[]> {
  return actor.db.rpc<Note[]>('list_notes', { p_event_id: eventId }, actor.caller);
}
