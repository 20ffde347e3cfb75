import { redirect } from '@sveltejs/kit';
import { publicOrigin } from '$lib/server/announce';
import { addAgendaItem, deleteAgendaItem, reorderAgenda, updateAgendaItem } from '$lib/server/agenda/agenda';
import { addMember, getEventState, getProjectorToken, getRoom, listMembers, removeMember, setEventStatus, setMemberRole, setRoomCapacity, updateEvent } from '$lib/server/events/events';
import { formAction, guardActions } from '$lib/server/forms/action';
import { deletePreparedPoll, preparePoll } from '$lib/server/polls/polls';
import { addThesis, deleteThesis, moveThesis, updateThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, locals, params, url }) => {
  const { role } = await parent();
  if (role !== 'organiser') redirect(303, `/e/${params.eventId}/${role === 'chair' ? 'chair' : 'notes'}`);
  const actor = await locals.actor();
  const [members, token, room] = await Promise.all([listMembers(actor, params.eventId), getProjectorToken(actor, params.eventId), getRoom(actor, params.eventId)]);
  const origin = publicOrigin(locals.runtime, url);
  return { members, room, projectorUrl: `${origin}/p/${params.eventId}?token=${token}`, origin };
};

export const actions: Actions = guardActions({
  details: formAction((actor, input) => updateEvent(actor, String(input.eventId), input)),
  status: formAction((actor, input) => setEventStatus(actor, String(input.eventId), input)),
  addItem: formAction((actor, input) => addAgendaItem(actor, String(input.eventId), input)),
  updateItem: formAction((actor, input) => updateAgendaItem(actor, input)),
  deleteItem: formAction((actor, input) => deleteAgendaItem(actor, input)),
  moveItem: formAction(async (actor, input) => {
    const state = await getEventState(actor, String(input.eventId));
    const ids = state.agenda.map((a) => a.id);
    const from = ids.indexOf(String(input.agendaItemId));
    const to = from + (input.direction === 'up' ? -1 : 1);
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    return reorderAgenda(actor, String(input.eventId), { ids });
  }),
  addMember: formAction((actor, input) => addMember(actor, String(input.eventId), input)),
  setRole: formAction((actor, input) => setMemberRole(actor, input)),
  capacity: formAction((actor, input) => setRoomCapacity(actor, String(input.eventId), input)),
  removeMember: formAction((actor, input) => removeMember(actor, input)),
  addThesis: formAction((actor, input) => addThesis(actor, String(input.eventId), input)),
  updateThesis: formAction((actor, input) => updateThesis(actor, input)),
  deleteThesis: formAction((actor, input) => deleteThesis(actor, input)),
  /** One place up or down among the listed theses (merged and rejected ones are not listed). */
  moveThesis: formAction(async (actor, input) => {
    const state = await getEventState(actor, String(input.eventId));
    const all = state.theses.map((t) => t.id);
    const listed = state.theses.filter((t) => t.status !== 'merged' && t.status !== 'rejected').map((t) => t.id);
    const at = listed.indexOf(String(input.thesisId));
    const neighbour = listed[at + (input.direction === 'up' ? -1 : 1)];
    if (at < 0 || !neighbour) return;
    return moveThesis(actor, { thesisId: input.thesisId, position: all.indexOf(neighbour) });
  }),
  preparePoll: formAction((actor, input) => preparePoll(actor, String(input.eventId), input)),
  deletePreparedPoll: formAction((actor, input) => deletePreparedPoll(actor, input))
});
