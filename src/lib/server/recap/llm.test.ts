import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftRecap } from './builtin';
import { languageModelProse } from './drafting';
import { OpenAiProseWriter, proseRequest, type ProseAnswer } from './llm';
import { applyConsent } from './consent';
import type { RecapSource } from './source';

/** A day with a consenting and a non-consenting participant, both named in the notes. */
const day: RecapSource = {
  event: { id: 'e', title: 'AI in de zorg', question: null, date: '2026-11-25', venue: 'Utrecht', language: 'en', organisers: ['Zorgnet'], chair: 'Chris Chair', author: null, photosUrl: null, allowLlm: true },
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

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const body = JSON.parse(raw);
      requests.push({ path: req.url, authorization: req.headers.authorization, body });
      const { status = 200, body: answer, delayMs = 0 } = reply(body);
      setTimeout(() => {
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
  afterAll(() => {
    server.closeAllConnections();
    server.close();
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
    ['writes about a thesis that was not asked for', { ...good, conclusions: [{ text: 'Yes.', thesisIds: ['55555555-5555-4555-8555-555555555555'] }] }, /was not discussed/]
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
    const request = proseRequest(source);
    const notes = request.sections[0].notes;
    expect(notes[0].text).toBe('a participant said radiology changes first.');
    expect(notes[1].speaker).toBe('a participant');
    expect(notes[2].text).toContain('Lotte Listed');
  });
});
