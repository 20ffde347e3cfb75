import { error } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { startAgendaItem } from '$lib/server/agenda/agenda';
import { getEventState, getRoom, listMembers, removeMember } from '$lib/server/events/events';
import { formAction, guardActions } from '$lib/server/forms/action';
import { listNotes } from '$lib/server/notes/notes';
import { closePoll, openPoll, openPreparedPoll, revealPollResults, setCountdown } from '$lib/server/polls/polls';
import { editThesis, endDiscussion, finishThesis, moderateThesis, moveThesis, sortQueueByUpvotes, startThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, depends }) => {
  depends('event:notes');
  const { role, locale } = await parent();
  if (role !== 'chair' && role !== 'organiser') error(403, translator(locale)('refusal.onlyChair'));
  const actor = await locals.actor();
  const [notes, members, room] = await Promise.all([listNotes(actor, params.eventId), listMembers(actor, params.eventId), getRoom(actor, params.eventId)]);
  return { notes, members, room };
};

export const actions: Actions = guardActions({
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
  openPrepared: formAction((actor, input) => openPreparedPoll(actor, input)),
  countdown: formAction((actor, input) => setCountdown(actor, String(input.eventId), input)),
  sortByUpvotes: formAction((actor, input) => sortQueueByUpvotes(actor, String(input.eventId))),
  closePoll: formAction((actor, input) => closePoll(actor, input)),
  reveal: formAction((actor, input) => revealPollResults(actor, input)),
  finish: formAction((actor, input) => finishThesis(actor, input)),
  end: formAction((actor, input) => endDiscussion(actor, String(input.eventId))),
  removeMember: formAction((actor, input) => removeMember(actor, input))
});
