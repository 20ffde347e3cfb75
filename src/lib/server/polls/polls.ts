import { castVoteSchema, countdownSchema, openPollSchema, openPreparedPollSchema, pollRefSchema, preparePollSchema } from '../../schemas';
import type { Countdown, Poll, PollResults } from '../../types';
import { parseInput } from '../../validation';
import { camelKeys, type Actor } from '../actor';

/** A poll as the calls that change it answer: what the chair set, without its results. */
export type PollRecord = Pick<Poll, 'id' | 'thesisId' | 'agendaItemId' | 'question' | 'kind' | 'options' | 'phase' | 'status' | 'hideResults'> & { eventId: string };

const toPoll = (row: Record<string, unknown>): PollRecord => {
  const p = camelKeys<PollRecord>(row);
  return {
    id: p.id, eventId: p.eventId, thesisId: p.thesisId, agendaItemId: p.agendaItemId, question: p.question, kind: p.kind,
    options: p.options, phase: p.phase, status: p.status, hideResults: p.hideResults
  };
};

export async function openPoll(actor: Actor, eventId: string, input: unknown): Promise<PollRecord> {
  const i = parseInput(openPollSchema, input);
  return toPoll(
    await actor.db.rpc(
      'open_poll',
      {
        p_event_id: eventId, p_thesis_id: i.thesisId, p_agenda_item_id: i.agendaItemId, p_kind: i.kind, p_options: i.options,
        p_phase: i.phase, p_question: i.question, p_hide_results: i.hideResults, p_close_open: i.closeOpen
      },
      actor.caller
    )
  );
}

export async function closePoll(actor: Actor, input: unknown): Promise<PollRecord> {
  const { pollId } = parseInput(pollRefSchema, input);
  return toPoll(await actor.db.rpc('close_poll', { p_poll_id: pollId }, actor.caller));
}

export async function reopenPoll(actor: Actor, input: unknown): Promise<PollRecord> {
  const { pollId } = parseInput(pollRefSchema, input);
  return toPoll(await actor.db.rpc('reopen_poll', { p_poll_id: pollId }, actor.caller));
}

export async function revealPollResults(actor: Actor, input: unknown): Promise<PollRecord> {
  const { pollId } = parseInput(pollRefSchema, input);
  return toPoll(await actor.db.rpc('reveal_poll_results', { p_poll_id: pollId }, actor.caller));
}

/** A vote, or a changed vote; the same idempotency key twice counts once. */
export async function castVote(
  actor: Actor,
  input: unknown,
  eventId?: string
): Promise<{ pollId: string; optionIndex: number | null; word: string | null }> {
  const i = parseInput(castVoteSchema, input);
  return actor.db.rpc(
    'cast_vote',
    {
      p_poll_id: i.pollId,
      p_option_index: typeof i.value === 'number' ? i.value : undefined,
      p_word: typeof i.value === 'string' ? i.value : undefined,
      p_idempotency_key: i.idempotencyKey,
      p_event_id: eventId
    },
    actor.caller
  );
}

export async function getPollResults(actor: Actor, input: unknown): Promise<PollResults & { pollId: string; status: string }> {
  const { pollId } = parseInput(pollRefSchema, input);
  return actor.db.rpc('poll_results', { p_poll_id: pollId }, actor.caller);
}

/** A poll prepared before the day: a draft the staff see until the chair opens it. */
export async function preparePoll(actor: Actor, eventId: string, input: unknown): Promise<PollRecord> {
  const i = parseInput(preparePollSchema, input);
  return toPoll(
    await actor.db.rpc(
      'prepare_poll',
      { p_event_id: eventId, p_thesis_id: i.thesisId, p_agenda_item_id: i.agendaItemId, p_kind: i.kind, p_options: i.options, p_phase: i.phase, p_question: i.question, p_hide_results: i.hideResults },
      actor.caller
    )
  );
}

/** Opens a prepared poll; an open poll is closed first (its votes kept) only with closeOpen. */
export async function openPreparedPoll(actor: Actor, input: unknown): Promise<PollRecord> {
  const i = parseInput(openPreparedPollSchema, input);
  return toPoll(await actor.db.rpc('open_prepared_poll', { p_poll_id: i.pollId, p_close_open: i.closeOpen }, actor.caller));
}

export async function deletePreparedPoll(actor: Actor, input: unknown): Promise<void> {
  const { pollId } = parseInput(pollRefSchema, input);
  await actor.db.rpc('delete_prepared_poll', { p_poll_id: pollId }, actor.caller);
}

/** Sets (or with 0 stops) the countdown for the open poll or for what is under way. */
export async function setCountdown(actor: Actor, eventId: string, input: unknown): Promise<Countdown | null> {
  const i = parseInput(countdownSchema, input);
  return actor.db.rpc('set_countdown', { p_event_id: eventId, p_seconds: i.seconds, p_for: i.for }, actor.caller);
}
