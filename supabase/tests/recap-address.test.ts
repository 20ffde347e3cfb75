import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCaller, type Database } from '../../src/lib/server/db/types';
import { exportRecap } from '../../src/lib/server/recap/exports';
import type { RecapCover } from '../../src/lib/server/recap/logo';
import type { RecapSource } from '../../src/lib/server/recap/source';
import { allBackends, createUser, type TestUser } from './helpers';

const title = "Café de l'Europe: één dag";

/**
 * A recap's public address and the names of its files come from the event's title by the database's
 * one rule, accents dropped, on every back end (each with its own Unicode tables).
 */
describe.each(allBackends)('a recap of an accented title on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  let organiser: TestUser;
  let eventId: string;

  beforeAll(async () => {
    ({ db, drop } = await backend.open());
    organiser = await createUser(db, { name: 'Olga', organiser: true });
    eventId = (await db.rpc<{ id: string }>('create_event', { p_title: title, p_language: 'nl' }, organiser.caller)).id;
  }, 300_000);
  afterAll(() => drop?.());

  it('is published at an address without the accents, and its PDF, DOCX and Markdown are named as the address starts', async () => {
    const markdown = `# ${title}\n\nEen verslag.`;
    const recap = await db.rpc<{ id: string }>('save_recap', { p_event_id: eventId, p_markdown: markdown, p_engine: 'manual' }, organiser.caller);
    await db.rpc('publish_recap', { p_recap_id: recap.id }, organiser.caller);
    const { slug } = await db.rpc<{ slug: string }>('get_recap', { p_recap_id: recap.id }, organiser.caller);
    expect(slug).toMatch(/^cafe-de-l-europe-een-dag-[0-9a-f]{8}$/);
    const titlePart = slug.slice(0, slug.lastIndexOf('-'));

    const publicCover = await db.rpc<RecapCover>('get_published_recap_cover', { p_slug: slug }, anonCaller);
    const organiserCover = await db.rpc<RecapCover>('get_recap_cover', { p_event_id: eventId }, organiser.caller);
    const source = await db.rpc<RecapSource>('get_recap_source', { p_event_id: eventId }, organiser.caller);
    expect([publicCover.titleSlug, organiserCover.titleSlug, source.event.titleSlug]).toEqual([titlePart, titlePart, titlePart]);

    for (const format of ['pdf', 'docx', 'md'] as const) {
      const file = await exportRecap(markdown, format, { title, titleSlug: publicCover.titleSlug, language: 'nl', cover: publicCover });
      expect(file.filename).toBe(`${titlePart}.${format}`);
    }
  });
});
