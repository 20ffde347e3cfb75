import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../../supabase/tests/helpers';
import { ends, proseParagraphs, sectionText, sentencesOf } from '../../../../tests/helpers/prose-checks';
import { PgliteDatabase } from '../db/pglite';
import { draftRecap } from './builtin';
import { languageModelProse } from './drafting';
import { applyConsent } from './consent';
import { saveGlossary } from './glossary';
import { OpenAiProseWriter, proseRequests, sectionConcurrency, type ProseAnswer, type ProseRequest, type ProseWriter } from './llm';
import { shorthandIn } from './shorthand';
import { loadRecapSource, type RecapSource } from './source';

/** A day with a consenting and a non-consenting participant, both named in the notes. */
const day: RecapSource = {
  event: { id: 'e', title: 'AI in de zorg', titleSlug: 'ai-in-de-zorg', question: null, date: '2026-11-25', venue: 'Utrecht', language: 'en', organisers: ['Zorgnet'], chair: 'Chris Chair', author: null, photosUrl: null, allowLlm: true },
  members: [
    { name: 'Lotte Listed', organisation: 'Ziekenhuis', jobTitle: 'CIO', listed: true, role: 'participant', hasAccount: true },
    { name: 'Hidde Hidden', organisation: 'Kliniek', jobTitle: 'CTO', listed: false, role: 'participant', hasAccount: true }
  ],
  agenda: [],
  theses: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      text: 'AI will not replace doctors.',
      status: 'discussed',
      discussedOrder: 1,
      position: 0,
      polls: [{ id: 'p', question: 'AI will not replace doctors.', kind: 'agree5', options: ['a', 'b', 'c', 'd', 'e'], phase: null, status: 'closed', counts: [1, 1, 0, 4, 4], total: 10 }],
      notes: [
        { id: '22222222-2222-4222-8222-222222222222', kind: 'note', text: 'Hidde Hidden said radiology changes first.', speaker: null },
        { id: '33333333-3333-4333-8333-333333333333', kind: 'quote', text: 'Doctors who use AI replace those who do not.', speaker: 'Hidde Hidden' },
        { id: '44444444-4444-4444-8444-444444444444', kind: 'note', text: 'Lotte Listed pointed at liability.', speaker: null }
      ]
    }
  ]
};

/** What every drafter is given: the day with consent applied. */
const source = applyConsent(day);

type Reply = (body: any) => { status?: number; body?: unknown; delayMs?: number };

describe('the language-model drafter against a local OpenAI-compatible server', () => {
  let server: Server;
  let url: string;
  let reply: Reply = () => ({ status: 500 });
  const requests: any[] = [];
  let answering = 0;
  let mostAtOnce = 0;
  // The fixture day, read before any request: loading the database keeps the event loop busy long
  // enough for the stand-in's idle keep-alive connections to time out under the client.
  let db: PgliteDatabase;
  let day: RecapSource;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    const organiser = await createUser(db, { name: 'Olga', organiser: true });
    const archive = JSON.parse(readFileSync(new URL('../../../../tests/fixtures/terse-notes.nl.json', import.meta.url), 'utf8'));
    const event = await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller);
    const actor = { db, caller: organiser.caller };
    await saveGlossary(actor, event.id, { terms: 'SM = sociale media' });
    const loaded = await loadRecapSource(actor, event.id);
    day = { ...loaded, event: { ...loaded.event, allowLlm: true } };

    server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ path: req.url, authorization: req.headers.authorization, body });
      answering++;
      mostAtOnce = Math.max(mostAtOnce, answering);
      const { status = 200, body: answer, delayMs = 0 } = reply(body);
      setTimeout(() => {
        answering--;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            status === 200
              ? { id: 'x', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(answer) } }] }
              : { error: { message: 'down' } }
          )
        );
      }, delayMs);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await db.close();
  });

  const writer = (timeoutMs = 5000) => new OpenAiProseWriter({ apiKey: 'test-key', baseUrl: url, model: 'local-model', timeoutMs });
  const good: ProseAnswer = {
    sections: [
      {
        id: '11111111-1111-4111-8111-111111111111',
        paragraphs: [{ text: 'Radiology is expected to change first, and Lotte Listed raised the question of liability.', noteIds: ['22222222-2222-4222-8222-222222222222', '44444444-4444-4444-8444-444444444444'] }]
      }
    ],
    conclusions: [{ text: 'Liability needs to be settled before AI reaches the clinic.', thesisIds: ['11111111-1111-4111-8111-111111111111'] }]
  };

  it('sends the JSON schema and no name of anyone who did not consent, and uses the answer with the app’s own numbers', async () => {
    reply = () => ({ body: good });
    const { prose, warning } = await languageModelProse(source, writer());
    expect(warning).toBeUndefined();
    const sent = requests.at(-1);
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.authorization).toBe('Bearer test-key');
    expect(sent.body.model).toBe('local-model');
    expect(sent.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true, schema: { required: ['sections', 'conclusions'] } } });
    expect(JSON.stringify(sent.body)).not.toContain('Hidde');
    expect(JSON.stringify(sent.body)).toContain('Lotte Listed');
    const markdown = draftRecap(source, prose).markdown;
    expect(markdown).toContain('Radiology is expected to change first');
    expect(markdown).toContain('Of 10 voters, 8 (80%) agreed');
    expect(markdown).toContain('- Liability needs to be settled before AI reaches the clinic.');
  });

  it.each([
    ['cites a note that does not exist', { ...good, sections: [{ ...good.sections[0], paragraphs: [{ text: 'Fine words.', noteIds: ['99999999-9999-4999-8999-999999999999'] }] }] }, /cites note/],
    ['adds a name', { ...good, sections: [{ ...good.sections[0], paragraphs: [{ text: 'Marie Curie agreed with the room.', noteIds: ['22222222-2222-4222-8222-222222222222'] }] }] }, /names Marie Curie/],
    ['states numbers of its own', { ...good, sections: [{ ...good.sections[0], paragraphs: [{ text: 'Some 90% agreed.', noteIds: ['22222222-2222-4222-8222-222222222222'] }] }] }, /percentage/],
    ['writes about a thesis that was not asked for', { ...good, conclusions: [{ text: 'Yes.', thesisIds: ['55555555-5555-4555-8555-555555555555'] }] }, /was not discussed/],
    ['states a number the notes do not have', { ...good, sections: [{ ...good.sections[0], paragraphs: [{ text: 'Radiology changes within 3 years.', noteIds: ['22222222-2222-4222-8222-222222222222'] }] }] }, /states 3, a number/]
  ])('rejects an answer that %s, and the built-in draft is used with a visible message', async (_, answer, why) => {
    reply = () => ({ body: answer });
    const { prose, warning } = await languageModelProse(source, writer());
    expect(prose).toBeUndefined();
    expect(warning).toMatch(why);
    expect(warning).toMatch(/built-in draft/);
  });

  it('falls back on a timeout and on a server error', async () => {
    reply = () => ({ body: good, delayMs: 2000 });
    const late = await languageModelProse(source, writer(300));
    expect(late.prose).toBeUndefined();
    expect(late.warning).toMatch(/timeout/);
    reply = () => ({ status: 500 });
    const failed = await languageModelProse(source, writer());
    expect(failed.prose).toBeUndefined();
    expect(failed.warning).toMatch(/could not be used/);
  });

  it('sends nothing when the event does not allow it or no model is configured', async () => {
    const before = requests.length;
    expect((await languageModelProse({ ...source, event: { ...source.event, allowLlm: false } }, writer())).warning).toMatch(/does not allow/);
    expect((await languageModelProse(source, null)).warning).toMatch(/No language model is configured/);
    expect(requests.length).toBe(before);
  });

  it('replaces non-consenting speakers and names in the request', () => {
    const [request] = proseRequests(source);
    const notes = request.sections[0].notes;
    expect(notes[0].text).toBe('a participant said radiology changes first.');
    expect(notes[1].speaker).toBe('a participant');
    expect(notes[2].text).toContain('Lotte Listed');
  });
  /** The section a request asks about, as the stand-in reads it from the messages. */
  const askedSection = (body: any): ProseRequest => JSON.parse(body.messages.at(-1).content);

  it('writes a long day by sections: one request per thesis or talk, a few at a time', async () => {
    const theses = Array.from({ length: 9 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      text: `Thesis number ${i + 1} about meetings.`,
      status: 'discussed' as const,
      discussedOrder: i + 1,
      position: i,
      polls: [],
      notes: [{ id: `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, kind: 'note' as const, text: `Point ${i + 1}: meetings need a goal b/c time is short`, speaker: null }]
    }));
    const long: RecapSource = { ...source, theses };
    reply = (body) => {
      const asked = askedSection(body);
      const section = asked.sections[0];
      expect(asked.sections).toHaveLength(1);
      expect(section.notes[0].text).toContain('because time is short');
      return {
        delayMs: 150,
        body: { sections: [{ id: section.id, paragraphs: [{ text: `The room discussed ${section.title.replace(/\d+/g, 'this')}`, noteIds: [section.notes[0].id] }] }], conclusions: [] }
      };
    };
    // Answers still running from an earlier test (the timeout) must not count.
    await expect.poll(() => answering, { timeout: 5000 }).toBe(0);
    const before = requests.length;
    mostAtOnce = 0;
    const { prose, warning } = await languageModelProse(long, writer());
    expect(warning).toBeUndefined();
    expect(requests.length - before).toBe(theses.length);
    expect(mostAtOnce).toBeLessThanOrEqual(sectionConcurrency);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(Object.keys(prose!.paragraphs).sort()).toEqual(theses.map((t) => t.id).sort());
    // The app ends what the model left open.
    expect(prose!.paragraphs[theses[0].id]).toEqual(['The room discussed Thesis number this about meetings.']);
  });

  it('stops asking once a section is refused', async () => {
    const theses = Array.from({ length: 9 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      text: `Thesis ${i + 1}.`,
      status: 'discussed' as const,
      discussedOrder: i + 1,
      position: i,
      polls: [],
      notes: [{ id: `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, kind: 'note' as const, text: 'A point.', speaker: null }]
    }));
    // A writer behind the same port: the first thesis gets an answer that names a stranger, the others a good one.
    const asked: string[] = [];
    const writer: ProseWriter = {
      async write(request) {
        const section = request.sections[0];
        asked.push(section.id);
        await new Promise((r) => setTimeout(r, section.id === theses[0].id ? 0 : 20));
        const text = section.id === theses[0].id ? 'Marie Curie agreed.' : 'The room agreed.';
        return { sections: [{ id: section.id, paragraphs: [{ text, noteIds: [section.notes[0].id] }] }], conclusions: [] };
      }
    };
    const { prose, warning } = await languageModelProse({ ...source, theses }, writer);
    expect(prose).toBeUndefined();
    expect(warning).toMatch(/names Marie Curie/);
    // Let what was already asked finish: nothing more is asked.
    await new Promise((r) => setTimeout(r, 300));
    expect(asked.length).toBeLessThanOrEqual(sectionConcurrency + 1);
  });

  describe('on a day of terse notes', () => {
    it('gets the notes as the built-in drafter reads them, and its answer passes the same checks', async () => {
      // The stand-in writes as a hurried model might: shorthand of its own, no final full stop.
      reply = (body) => {
        const section = askedSection(body).sections[0];
        const cite = section.notes.filter((n) => n.kind === 'note' || n.kind === 'question').map((n) => n.id);
        return {
          body: {
            sections: [{ id: section.id, paragraphs: cite.length ? [{ text: `In de zaal werd over “${section.title.replace(/[.?]$/, '')}” gesproken, bv over de praktijk`, noteIds: cite }] : [] }],
            conclusions: askedSection(body).thesisIds.map((id) => ({ text: 'Opleiden ipv verbieden', thesisIds: [id] }))
          }
        };
      };
      const before = requests.length;
      const { prose, warning } = await languageModelProse(day, writer());
      expect(warning ?? '').toBe('');
      const ids = new Set([...day.agenda, ...day.theses].map((x) => x.id));
      const sent = requests
        .slice(before)
        .map((r) => askedSection(r.body))
        .filter((r) => ids.has(r.sections[0].id));
      // The talk, two theses and the closing: one request each.
      expect(sent.map((r) => r.sections[0].kind).sort()).toEqual(['closing', 'talk', 'thesis', 'thesis']);
      for (const request of sent) {
        for (const note of request.sections[0].notes) expect(shorthandIn(note.text, 'nl', day.glossary), note.text).toEqual([]);
      }
      expect(JSON.stringify(sent)).toContain('Jongeren zien sociale media als normaal, deel van hun cultuur.');

      const markdown = draftRecap(day, prose).markdown;
      const thesis = sectionText(markdown, day.theses[0].text);
      expect(thesis).toContain('” gesproken, bijvoorbeeld over de praktijk.');
      const sentences = proseParagraphs(thesis).flatMap(sentencesOf);
      expect(sentences.filter((s) => !ends(s))).toEqual([]);
      expect(shorthandIn(thesis.replace(/^> /gm, ''), 'nl', day.glossary)).toEqual([]);
      expect(markdown).toContain('- Opleiden in plaats van verbieden.');
    });
  });
});
