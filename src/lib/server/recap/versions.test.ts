import { describe, expect, it } from 'vitest';
import { backends, createUser, suiteEvent, type TestUser } from '../../../../supabase/tests/helpers';
import type { SqlDatabase } from '../db/types';
import { getPublishedRecap, getRecap, listRecaps, publishRecap, saveRecapVersion, unpublishRecap, updateRecap } from './versions';

describe.each(backends)('recap versions on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let eventId: string;
  suiteEvent(backend, 'Recap day', (suite) => ({ db, organiser, eventId } = suite));

  it('keeps every save as a version, publishes one under a stable address, and unpublishes it', async () => {
    const actor = { db, caller: organiser.caller };
    const first = await saveRecapVersion(actor, eventId, '# Recap day\n\nFirst draft.', 'builtin');
    const edited = await updateRecap(actor, { recapId: first.id, markdown: '# Recap day\n\nEdited.' });
    expect([first.version, edited.version]).toEqual([1, 2]);
    expect((await getRecap(actor, { recapId: first.id })).markdown).toContain('First draft.');
    expect((await listRecaps(actor, eventId)).map((r) => r.version)).toEqual([2, 1]);

    await expect(getPublishedRecap(db, 'recap-day-00000000')).rejects.toMatchObject({ status: 404 });
    const published = await publishRecap(actor, { recapId: edited.id });
    expect(published.slug).toMatch(/^recap-day-[0-9a-f]{8}$/);
    expect((await getPublishedRecap(db, published.slug!)).markdown).toContain('Edited.');

    // A later version published replaces the earlier one at the same address.
    const third = await updateRecap(actor, { recapId: edited.id, markdown: '# Recap day\n\nThird.' });
    const republished = await publishRecap(actor, { recapId: third.id });
    expect(republished.slug).toBe(published.slug);
    expect((await getPublishedRecap(db, published.slug!)).markdown).toContain('Third.');
    expect((await getRecap(actor, { recapId: edited.id })).status).toBe('draft');

    await unpublishRecap(actor, { recapId: third.id });
    await expect(getPublishedRecap(db, published.slug!)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses to save edits on top of a version that is no longer the newest, and keeps the versions as they were', async () => {
    const actor = { db, caller: organiser.caller };
    const base = await saveRecapVersion(actor, eventId, '# Recap day\n\nBase.', 'builtin');
    const newer = await updateRecap(actor, { recapId: base.id, markdown: '# Recap day\n\nSaved in another tab.' });
    const before = await listRecaps(actor, eventId);
    await expect(updateRecap(actor, { recapId: base.id, markdown: '# Recap day\n\nMy edit.' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(`v${newer.version}`)
    });
    expect(await listRecaps(actor, eventId)).toEqual(before);
    // On top of the newest version the same edit is saved.
    const saved = await updateRecap(actor, { recapId: newer.id, markdown: '# Recap day\n\nMy edit.' });
    expect(saved.version).toBe(newer.version + 1);
    expect(saved.markdown).toContain('My edit.');
  });

  it('refuses a participant and a stranger', async () => {
    const actor = { db, caller: organiser.caller };
    const recap = await saveRecapVersion(actor, eventId, 'Draft', 'manual');
    const { event } = await db.rpc<{ event: { code: string } }>('get_event_state', { p_event_id: eventId }, organiser.caller);
    const code = event.code;
    const participant = await createUser(db, { anonymous: true });
    await db.rpc('join_event', { p_code: code, p_name: 'Pia' }, participant.caller);
    const stranger = await createUser(db);
    for (const caller of [participant.caller, stranger.caller]) {
      await expect(getRecap({ db, caller }, { recapId: recap.id })).rejects.toMatchObject({ status: 403 });
      await expect(updateRecap({ db, caller }, { recapId: recap.id, markdown: 'mine' })).rejects.toMatchObject({ status: 403 });
      await expect(publishRecap({ db, caller }, { recapId: recap.id })).rejects.toMatchObject({ status: 403 });
    }
    await expect(updateRecap(actor, { recapId: 'not-an-id', markdown: 'x' })).rejects.toMatchObject({ status: 400 });
  });
});
