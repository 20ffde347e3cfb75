import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../../../supabase/tests/helpers';
import { PgliteDatabase } from '../db/pglite';
import { draftRecap } from './builtin';
import { draftRecapVersion } from './drafting';
import type { RecapSource, SourcePoll } from './source';

describe('what enters a recap', () => {
  let db: PgliteDatabase;
  let organiser: TestUser;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    organiser = await createUser(db, { name: 'Olga', organiser: true });
  });
  afterAll(() => db.close());

  it('leaves out every thesis the chair never moderated or rejected', async () => {
    const archive = {
      event: { title: 'Moderation', date: '2026-11-25', language: 'en' },
      theses: [
        { text: 'Discussed and moderated.', status: 'discussed' },
        { text: 'Approved but not reached.', status: 'approved' },
        { text: 'Left for another time.', status: 'not_discussed' },
        { text: 'Sent from a phone, never moderated [x](javascript:alert(1)).', status: 'submitted' },
        { text: 'Rejected by the chair.', status: 'rejected' }
      ]
    };
    const { id } = await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller);
    const { markdown } = await draftRecapVersion({ db, caller: organiser.caller }, id, { engine: 'builtin' }, null);
    expect(markdown).toContain('### Thesis 1: Discussed and moderated.');
    expect(markdown).toContain('- Approved but not reached.');
    expect(markdown).toContain('- Left for another time.');
    expect(markdown).not.toContain('Sent from a phone');
    expect(markdown).not.toContain('Rejected by the chair');
  });
});

describe('every poll in the recap says what it asked', () => {
  const poll = (id: string, phase: SourcePoll['phase'], question: string, counts: number[]): SourcePoll => ({
    id,
    question,
    kind: 'agree5',
    options: ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'],
    phase,
    status: 'closed',
    counts,
    total: counts.reduce((a, b) => a + b, 0)
  });
  const source = (polls: SourcePoll[]): RecapSource => ({
    event: { id: 'e', title: 'Polls', titleSlug: 'polls', question: null, date: null, venue: null, language: 'en', organisers: [], chair: null, author: null, photosUrl: null, allowLlm: false },
    members: [],
    agenda: [],
    theses: [{ id: '11111111-1111-4111-8111-111111111111', text: 'Meetings need a goal.', status: 'discussed', discussedOrder: 1, position: 0, notes: [], polls }]
  });
  const labelsBeforeCharts = (markdown: string) => [...markdown.matchAll(/^(.*)\n\n```chart$/gm)].map((m) => m[1]);

  it('labels a poll asked twice on the same thesis, each with its question', () => {
    const { markdown } = draftRecap(source([poll('a', null, 'Meetings need a goal.', [0, 1, 0, 2, 0]), poll('b', null, 'Meetings need a goal.', [0, 0, 1, 1, 1])]));
    expect(labelsBeforeCharts(markdown)).toEqual(['**Poll 1:** Meetings need a goal.', '**Poll 2:** Meetings need a goal.']);
  });

  it('labels a single poll, and polls before and after the discussion', () => {
    expect(labelsBeforeCharts(draftRecap(source([poll('a', null, 'Meetings need a goal.', [0, 1, 0, 2, 0])])).markdown)).toEqual(['**Poll:** Meetings need a goal.']);
    const { markdown } = draftRecap(source([poll('a', 'before', 'Meetings need a goal.', [2, 1, 0, 0, 0]), poll('b', 'after', 'Do meetings need a goal now?', [0, 0, 0, 2, 1])]));
    expect(labelsBeforeCharts(markdown)).toEqual(['**Before the discussion:** Meetings need a goal.', '**After the discussion:** Do meetings need a goal now?']);
  });
});
