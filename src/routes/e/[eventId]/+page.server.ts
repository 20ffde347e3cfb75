import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { isSetAside } from '$lib/domain';
import { isAppError, userError } from '$lib/errors';
import { publicOrigin } from '$lib/server/announce';
import { addAgendaItem, deleteAgendaItem, reorderAgenda, updateAgendaItem } from '$lib/server/agenda/agenda';
import { getEventState, getProjectorToken, getRoom, listMembers, projectorPath, removeMember, setEventStatus, setMemberRole, setRoomCapacity, updateEvent } from '$lib/server/events/events';
import { addGuests, eventLanguage, guestsFromFile, listGuests, mergeMembers, releaseGuest, setAttendance } from '$lib/server/events/guests';
import { decodeUtf8 } from '$lib/server/edge/body';
import { formAction, guardActions, readFields, readForm, refusalMessage } from '$lib/server/forms/action';
import type { Actor } from '$lib/server/actor';
import { deletePreparedPoll, preparePoll } from '$lib/server/polls/polls';
import { addThesis, deleteThesis, moveThesis, updateThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, url }) => {
  const { role } = await parent();
  if (role !== 'organiser') redirect(303, `/e/${params.eventId}/${role === 'chair' ? 'chair' : 'notes'}`);
  const actor = await locals.actor();
  const [members, guests, token, room] = await Promise.all([
    listMembers(actor, params.eventId),
    listGuests(actor, params.eventId),
    getProjectorToken(actor, params.eventId),
    getRoom(actor, params.eventId)
  ]);
  const origin = publicOrigin(locals.runtime, url);
  return { members, guests, room, projectorUrl: origin + projectorPath(params.eventId, token), origin };
};

/** Where one place up or down from `id` in `ids` is, as the Up and Down buttons ask; null past either end. */
function oneStep(ids: string[], id: unknown, direction: unknown): { from: number; to: number } | null {
  const from = ids.indexOf(String(id));
  const to = from + (direction === 'up' ? -1 : 1);
  return from < 0 || to < 0 || to >= ids.length ? null : { from, to };
}

/** Adds the guests an action read (by hand, pasted or from a file) and says how many, or why not. */
async function guestsAdded(event: RequestEvent, read: (actor: Actor, eventId: string) => Promise<unknown>) {
  try {
    const actor = await event.locals.actor();
    const { added, updated } = await addGuests(actor, String(event.params.eventId), { guests: await read(actor, String(event.params.eventId)) });
    return { guestsAdded: { added, updated } };
  } catch (e) {
    if (isAppError(e)) return fail(e.status, { guestsError: await refusalMessage(event, e) });
    throw e;
  }
}

export const actions: Actions = guardActions({
  details: formAction((actor, input) => updateEvent(actor, String(input.eventId), input)),
  status: formAction((actor, input) => setEventStatus(actor, String(input.eventId), input)),
  addItem: formAction((actor, input) => addAgendaItem(actor, String(input.eventId), input)),
  updateItem: formAction((actor, input) => updateAgendaItem(actor, input)),
  deleteItem: formAction((actor, input) => deleteAgendaItem(actor, input)),
  moveItem: formAction(async (actor, input) => {
    const state = await getEventState(actor, String(input.eventId));
    const ids = state.agenda.map((a) => a.id);
    const step = oneStep(ids, input.agendaItemId, input.direction);
    if (!step) return;
    [ids[step.from], ids[step.to]] = [ids[step.to], ids[step.from]];
    return reorderAgenda(actor, String(input.eventId), { ids });
  }),
  addGuest: async (event) => {
    const { name, organisation, jobTitle, email } = await readFields(event);
    return guestsAdded(event, async () => [{ name, organisation, jobTitle, email }]);
  },
  pasteGuests: async (event) => {
    const { guests } = await readFields(event);
    return guestsAdded(event, async () => guests);
  },
  importGuests: async (event) =>
    guestsAdded(event, async (actor, eventId) => {
      const file = (await readForm(event)).get('file');
      const language = await eventLanguage(actor.db, eventId);
      if (!(file instanceof File) || file.size === 0) throw userError(400, 'invalid_input', 'guests.chooseFile');
      return guestsFromFile(file.name, decodeUtf8(new Uint8Array(await file.arrayBuffer())), language);
    }),
  releaseGuest: formAction((actor, input) => releaseGuest(actor, input)),
  attendance: formAction((actor, input) => setAttendance(actor, input)),
  merge: formAction((actor, input) => mergeMembers(actor, input)),
  setRole: formAction((actor, input) => setMemberRole(actor, input)),
  capacity: formAction((actor, input) => setRoomCapacity(actor, String(input.eventId), input)),
  removeMember: formAction((actor, input) => removeMember(actor, input)),
  addThesis: formAction((actor, input) => addThesis(actor, String(input.eventId), input)),
  updateThesis: formAction((actor, input) => updateThesis(actor, input)),
  deleteThesis: formAction((actor, input) => deleteThesis(actor, input)),
  /** One place up or down among the listed theses (those set aside are not listed). */
  moveThesis: formAction(async (actor, input) => {
    const state = await getEventState(actor, String(input.eventId));
    const all = state.theses.map((t) => t.id);
    const listed = state.theses.filter((t) => !isSetAside(t.status)).map((t) => t.id);
    const step = oneStep(listed, input.thesisId, input.direction);
    if (!step) return;
    return moveThesis(actor, { thesisId: input.thesisId, position: all.indexOf(listed[step.to]) });
  }),
  preparePoll: formAction((actor, input) => preparePoll(actor, String(input.eventId), input)),
  deletePreparedPoll: formAction((actor, input) => deletePreparedPoll(actor, input))
});
