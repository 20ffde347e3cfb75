import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import { backends, suiteEvent, type TestUser } from './helpers';

/**
 * The edge refuses NUL characters before they reach the database; should one get past it, the
 * database's own refusal (SQLSTATE 22021, or 22P05 inside JSON) is still a 400 with a sentence.
 */
describe.each(backends)('a NUL character past the edge on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let eventId: string;
  suiteEvent(backend, 'Nul', (suite) => ({ db, organiser, eventId } = suite));

  it.each([
    ['submit_thesis', () => ({ p_event_id: eventId, p_text: 'a\u0000b' })],
    ['update_event', () => ({ p_event_id: eventId, p_title: 'a\u0000b', p_starts_on: null, p_language: 'en', p_question: '', p_venue: '' })],
    ['save_recap', () => ({ p_event_id: eventId, p_markdown: '# a\u0000b', p_engine: 'manual' })]
  ])('%s answers 400 and stores nothing', async (fn, args) => {
    const error = await db.rpc(fn, args(), organiser.caller).then(
      () => undefined,
      (e) => e
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((error as AppError).message).toMatch(/NUL character/);
    const state = await db.rpc<{ event: { title: string }; theses: unknown[] }>('get_event_state', { p_event_id: eventId }, organiser.caller);
    expect(state.event.title).toBe('Nul');
    expect(state.theses).toEqual([]);
  });
});
