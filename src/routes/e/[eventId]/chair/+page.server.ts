import { error } from '@sveltejs/kit';
import { startAgendaItem } from '$lib/server/agenda/agenda';
import { getEventState } from '$lib/server/events/events';
import { formAction } from '$lib/server/forms/action';
import { listNotes } from '$lib/server/notes/notes';
import { closePoll, openPoll, revealPollResults } from '$lib/server/polls/polls';
import { editThesis, endDiscussion, finishThesis, moderateThesis, moveThesis, startThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, depends }) => {
  depends('event:notes');
  const { role } = await parent();
  if (role !== 'chair' && role !== 'organiser') error(403, 'Only the chair runs the room.');
  return { notes: await listNotes(await locals.actor(), params.eventId) };
};

export const actions: Actions = {
  startItem: formAction((actor, input) => startAgendaItem(actor, input)),
  moderate: formAction((actor, input) => moderateThesis(actor, input)),
  edit: formAction((actor, input) => editThesis(actor, input)),
  move: formAction((actor, input) => moveThesis(actor, input)),
  start: formAction((actor, input) => startThesis(actor, input)),
  /** The next approved thesis in queue order goes on the projector. */
  next: formAction(async (actor, input) => {
    const state = await getEventState(actor, String(input.eventId));
    const next = state.theses.find((t) => t.status === 'approved');
    if (next) await startThesis(actor, { thesisId: next.id });
    else if (state.currentThesis) await finishThesis(actor, { thesisId: state.currentThesis.id });
  }),
  openPoll: formAction((actor, input) => openPoll(actor, String(input.eventId), input)),
  closePoll: formAction((actor, input) => closePoll(actor, input)),
  reveal: formAction((actor, input) => revealPollResults(actor, input)),
  finish: formAction((actor, input) => finishThesis(actor, input)),
  end: formAction((actor, input) => endDiscussion(actor, String(input.eventId)))
};
