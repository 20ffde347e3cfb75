import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { anonCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { getRecapCover, removeLogo, sanitiseLogo, saveLogo, type RecapCover } from '../../src/lib/server/recap/logo';
import { backends, createUser, refusal, suiteDatabase, type TestUser } from './helpers';

const png = (width: number, height: number) => {
  const image = new PNG({ width, height });
  image.data.fill(0x80);
  return PNG.sync.write(image);
};

/**
 * The recap's cover and its logo on every back end: organisers set and remove the logo; the cover
 * of a published recap is public, that of an unpublished one is not; nobody reads the table.
 */
describe.each(backends)('the recap cover on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let stranger: TestUser;
  let participant: TestUser;
  let eventId: string;
  const actor = (user: TestUser) => ({ db, caller: user.caller });
  const rows = (caller: Caller, sql: string) => db.withCaller(caller, (q) => q(sql, []));

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    stranger = await createUser(db, { organiser: true });
    participant = await createUser(db, { anonymous: true });
    const created = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Cover day', p_language: 'nl', p_venue: 'Utrecht' }, organiser.caller);
    eventId = created.id;
    await db.rpc('join_event', { p_code: created.join_code, p_name: 'Pia' }, participant.caller);
  }, { timeout: 120_000 });

  it('keeps the organiser’s logo, re-encoded, on the cover with the event’s details', async () => {
    await saveLogo(actor(organiser), eventId, png(40, 20));
    const cover = await getRecapCover(actor(organiser), eventId);
    expect(cover).toMatchObject({ title: 'Cover day', venue: 'Utrecht', language: 'nl', organisers: ['Olga'] });
    expect(cover.logo).toMatchObject({ contentType: 'image/png', width: 40, height: 20 });
    expect(PNG.sync.read(Buffer.from(cover.logo!.data, 'base64')).width).toBe(40);
    await removeLogo(actor(organiser), eventId);
    expect((await getRecapCover(actor(organiser), eventId)).logo).toBeNull();
  });

  it('refuses a logo that is no PNG or JPEG, or too large, and the table refuses other bytes too', async () => {
    expect(() => sanitiseLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toThrow(AppError);
    // PNG's first bytes, then no image.
    expect(() => sanitiseLogo(Buffer.concat([png(1, 1).subarray(0, 8), Buffer.from('<script>alert(1)</script>')]))).toThrow(AppError);
    expect(() => sanitiseLogo(Buffer.alloc(600 * 1024, 1))).toThrow(AppError);
    const bytes = Buffer.from('GIF89a not a logo').toString('base64');
    const refused = await refusal(db.rpc('set_event_logo', { p_event_id: eventId, p_content_type: 'image/png', p_data: bytes, p_width: 1, p_height: 1 }, organiser.caller));
    expect(refused.status).toBe(400);
  });

  it('lets nobody but the event’s organisers set the logo or read an unpublished cover', async () => {
    const data = png(2, 2).toString('base64');
    const set = (caller: Caller) => db.rpc('set_event_logo', { p_event_id: eventId, p_content_type: 'image/png', p_data: data, p_width: 2, p_height: 2 }, caller);
    expect((await refusal(set(participant.caller))).status).toBe(403);
    expect((await refusal(set(stranger.caller))).status).toBe(403);
    await expect(set(anonCaller)).rejects.toBeTruthy();
    expect((await refusal(getRecapCover(actor(participant), eventId))).status).toBe(403);
    await expect(db.rpc('get_recap_cover', { p_event_id: eventId }, anonCaller)).rejects.toBeTruthy();
    for (const caller of [anonCaller, participant.caller, organiser.caller]) await expect(rows(caller, 'select * from public.event_logos')).rejects.toBeTruthy();
  });

  it('gives the cover of a published recap to anyone, and of no other', async () => {
    await saveLogo(actor(organiser), eventId, png(8, 8));
    const recap = await db.rpc<{ id: string }>('save_recap', { p_event_id: eventId, p_markdown: '# Cover day\n', p_engine: 'manual' }, organiser.caller);
    const slugOf = async () => (await db.rpc<{ slug: string | null }>('get_recap', { p_recap_id: recap.id }, organiser.caller)).slug;
    expect(await slugOf()).toBeNull();
    await db.rpc('publish_recap', { p_recap_id: recap.id }, organiser.caller);
    const slug = (await slugOf())!;
    const cover = await db.rpc<RecapCover>('get_published_recap_cover', { p_slug: slug }, anonCaller);
    expect(cover).toMatchObject({ title: 'Cover day', logo: { width: 8, height: 8 } });
    await db.rpc('unpublish_recap', { p_recap_id: recap.id }, organiser.caller);
    expect(await db.rpc('get_published_recap_cover', { p_slug: slug }, anonCaller)).toBeNull();
  });
});
