import { formAction, guardActions } from '$lib/server/forms/action';
import { addNote, deleteNote, listNotes, updateNote } from '$lib/server/notes/notes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends('event:notes');
  return { notes: await listNotes(await locals.actor(), params.eventId) };
};

/** Note-taking; the chair console posts here too. */
export const actions: Actions = guardActions({
  add: formAction((actor, input) => addNote(actor, String(input.eventId), input)),
  update: formAction((actor, input) => updateNote(actor, input)),
  delete: formAction((actor, input) => deleteNote(actor, input))
});
