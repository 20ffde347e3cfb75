import { agendaItemRefSchema, agendaItemSchema, reorderSchema, updateAgendaItemSchema } from '../../schemas';
import type { AgendaItem } from '../../types';
import { parseInput } from '../../validation';
import { camelKeys, type Actor } from '../actor';

export async function addAgendaItem(actor: Actor, eventId: string, input: unknown): Promise<AgendaItem> {
  const i = parseInput(agendaItemSchema, input);
  return camelKeys(
    await actor.db.rpc('add_agenda_item', { p_event_id: eventId, p_title: i.title, p_kind: i.kind, p_speaker: i.speaker, p_planned_minutes: i.plannedMinutes ?? null }, actor.caller)
  );
}

export async function updateAgendaItem(actor: Actor, input: unknown): Promise<AgendaItem> {
  const i = parseInput(updateAgendaItemSchema, input);
  return camelKeys(
    await actor.db.rpc(
      'update_agenda_item',
      { p_agenda_item_id: i.agendaItemId, p_title: i.title, p_kind: i.kind, p_speaker: i.speaker, p_planned_minutes: i.plannedMinutes ?? null },
      actor.caller
    )
  );
}

export async function deleteAgendaItem(actor: Actor, input: unknown): Promise<void> {
  const { agendaItemId } = parseInput(agendaItemRefSchema, input);
  await actor.db.rpc('delete_agenda_item', { p_agenda_item_id: agendaItemId }, actor.caller);
}

export async function reorderAgenda(actor: Actor, eventId: string, input: unknown): Promise<void> {
  const { ids } = parseInput(reorderSchema, input);
  await actor.db.rpc('reorder_agenda', { p_event_id: eventId, p_agenda_item_ids: ids }, actor.caller);
}

export async function startAgendaItem(actor: Actor, input: unknown): Promise<AgendaItem> {
  const { agendaItemId } = parseInput(agendaItemRefSchema, input);
  return camelKeys(await actor.db.rpc('start_agenda_item', { p_agenda_item_id: agendaItemId }, actor.caller));
}
