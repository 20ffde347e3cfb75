/**
 * The language-model drafter, behind a small port. The model writes only prose: paragraphs for each
 * thesis and talk that cite the notes they rest on, and conclusions that cite theses. It gets the same
 * notes as the built-in drafter (shorthand written out), one request per thesis or talk, a few at a
 * time, so a long day never becomes one huge request. The app checks every citation, name and number,
 * writes out any shorthand left, inserts all vote figures itself, and falls back to the built-in
 * draft when an answer is late, broken or unsupported.
 */
import OpenAI from 'openai';
import type { Prose } from './builtin';
import { closingItem, discussedTheses } from './builtin';
import { expandNote, proseContext } from './prose';
import { endSentence } from './sentences';
import { expandShorthand, type GlossaryEntry } from './shorthand';
import type { RecapSource, SourceNote } from './source';

export interface LlmSettings {
  apiKey: string;
  baseUrl?: string;
  model: string;
  timeoutMs?: number;
}

/** One request: one thesis, talk or closing of the day (`sections` holds exactly one). */
export interface ProseRequest {
  language: 'nl' | 'en';
  title: string;
  sections: { id: string; kind: 'thesis' | 'talk' | 'closing'; title: string; notes: { id: string; kind: SourceNote['kind']; text: string; speaker: string | null }[] }[];
  /** The thesis this request may draw conclusions about (none for a talk or the closing). */
  thesisIds: string[];
}

/** How many sections are written at the same time. */
export const sectionConcurrency = 3;

export interface ProseAnswer {
  sections: { id: string; paragraphs: { text: string; noteIds: string[] }[] }[];
  conclusions: { text: string; thesisIds: string[] }[];
}

/** The port: anything that turns a request into an answer (the OpenAI adapter, or a test double). */
export interface ProseWriter {
  write(request: ProseRequest): Promise<ProseAnswer>;
}

export const answerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sections', 'conclusions'],
  properties: {
    sections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'paragraphs'],
        properties: {
          id: { type: 'string', description: 'The id of the thesis or talk, as given.' },
          paragraphs: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['text', 'noteIds'],
              properties: { text: { type: 'string' }, noteIds: { type: 'array', items: { type: 'string' }, description: 'The ids of the notes this paragraph rests on.' } }
            }
          }
        }
      }
    },
    conclusions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'thesisIds'],
        properties: { text: { type: 'string' }, thesisIds: { type: 'array', items: { type: 'string' } } }
      }
    }
  }
} as const;

const instructions = {
  en: 'You edit the recap of a knowledge day, one part at a time. Write the discussion of the section you are given as flowing paragraphs in English, using only what the notes say; cite the ids of the notes each paragraph rests on. Do not write numbers, percentages or vote results (the app adds them). Do not name anyone who is not named in the notes. If thesisIds is not empty, write up to two conclusions, each citing that thesis id; otherwise write none.',
  nl: 'Je redigeert het verslag van een kennisdag, deel voor deel. Schrijf de discussie van de sectie die je krijgt als lopende alinea’s in het Nederlands, alleen op basis van wat de notities zeggen; noem bij elke alinea de ids van de notities waarop die rust. Schrijf geen getallen, percentages of stemuitslagen (die voegt de app toe). Noem niemand die niet in de notities genoemd wordt. Als thesisIds niet leeg is, schrijf dan hoogstens twee conclusies, elk met die stelling-id; anders geen.'
};

/** Conclusions the recap takes from the model, over all theses. */
const maxConclusions = 6;

/** The OpenAI adapter: any OpenAI-compatible server (OpenAI, vLLM, Ollama, LM Studio). */
export class OpenAiProseWriter implements ProseWriter {
  private readonly client: OpenAI;

  constructor(private readonly settings: LlmSettings) {
    this.client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs ?? 30_000, maxRetries: 0 });
  }

  async write(request: ProseRequest): Promise<ProseAnswer> {
    const completion = await this.client.chat.completions.create({
      model: this.settings.model,
      temperature: 0.2,
      messages: [
        { role: 'system', content: instructions[request.language] },
        { role: 'user', content: JSON.stringify(request) }
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'recap_prose', strict: true, schema: answerSchema as unknown as Record<string, unknown> } }
    });
    const content = completion.choices[0]?.message?.content;
    if (!content) throw new Error('The language model sent no answer.');
    return JSON.parse(content) as ProseAnswer;
  }
}

/**
 * What is sent, one request per thesis, talk and the closing: the notes as the built-in drafter reads
 * them (shorthand and the event's glossary written out), from a source that already had consent
 * applied (applyConsent), so no withheld name is in it.
 */
export function proseRequests(source: RecapSource): ProseRequest[] {
  const context = proseContext(source);
  const notes = (list: SourceNote[]) => list.map((n) => ({ id: n.id, kind: n.kind, text: expandNote(n.text, context), speaker: n.speaker }));
  const closing = closingItem(source);
  const request = (section: ProseRequest['sections'][number], thesisIds: string[]): ProseRequest => ({
    language: source.event.language,
    title: source.event.title,
    thesisIds,
    sections: [section]
  });
  return [
    ...source.agenda
      .filter((a) => a.notes.length)
      .map((a) => request({ id: a.id, kind: a === closing ? 'closing' : 'talk', title: a.title, notes: notes(a.notes) }, [])),
    ...discussedTheses(source)
      .filter((t) => t.notes.length)
      .map((t) => request({ id: t.id, kind: 'thesis', title: t.text, notes: notes(t.notes) }, [t.id]))
  ];
}

export class RejectedAnswer extends Error {}

/**
 * Checks an answer against what was asked: known sections, cited notes that exist in that section,
 * no percentage and no number the notes do not have, and no person's name that the request did not
 * contain. What passes is cleaned as the built-in draft is: shorthand written out, every paragraph
 * ending properly.
 */
export function acceptAnswer(request: ProseRequest, answer: ProseAnswer, glossary: GlossaryEntry[] = []): Prose {
  if (!answer || !Array.isArray(answer.sections) || !Array.isArray(answer.conclusions)) throw new RejectedAnswer('The answer does not follow the schema.');
  const sections = new Map(request.sections.map((s) => [s.id, s]));
  const corpus = JSON.stringify(request);
  const inventedName = (text: string) =>
    (text.match(/\b\p{Lu}\p{Ll}+(?:\s+(?:van|de|der|den|von|le|la|du|ter|ten)){0,2}\s+\p{Lu}\p{Ll}+/gu) ?? []).find((name) => !corpus.includes(name));
  const numbersOf = (text: string) => text.match(/\d+(?:[.,]\d+)*/g) ?? [];
  const known = new Set([request.title, ...request.sections.flatMap((s) => [s.title, ...s.notes.map((n) => n.text)])].flatMap(numbersOf));
  const inventedNumber = (text: string) => numbersOf(text).find((number) => !known.has(number));
  const check = (text: string, what: string) => {
    if (/\d+\s*%/.test(text)) throw new RejectedAnswer(`${what} states a percentage; the app writes the numbers.`);
    const number = inventedNumber(text);
    if (number) throw new RejectedAnswer(`${what} states ${number}, a number the notes do not have.`);
    const name = inventedName(text);
    if (name) throw new RejectedAnswer(`${what} names ${name}, who is not in the notes.`);
  };
  const clean = (text: string) => endSentence(expandShorthand(text.replace(/\s+/g, ' ').trim(), request.language, glossary));
  const paragraphs: Record<string, string[]> = {};
  for (const section of answer.sections) {
    const asked = sections.get(section.id);
    if (!asked) throw new RejectedAnswer(`The answer writes about ${section.id}, which was not asked for.`);
    const noteIds = new Set(asked.notes.map((n) => n.id));
    for (const paragraph of section.paragraphs) {
      const unknown = paragraph.noteIds.find((id) => !noteIds.has(id));
      if (unknown) throw new RejectedAnswer(`A paragraph cites note ${unknown}, which does not exist in that section.`);
      if (!paragraph.noteIds.length) throw new RejectedAnswer('A paragraph cites no note.');
      check(paragraph.text, 'A paragraph');
    }
    paragraphs[section.id] = section.paragraphs.map((p) => clean(p.text)).filter(Boolean);
  }
  const theses = new Set(request.thesisIds);
  for (const conclusion of answer.conclusions) {
    const unknown = conclusion.thesisIds.find((id) => !theses.has(id));
    if (unknown) throw new RejectedAnswer(`A conclusion cites thesis ${unknown}, which was not discussed.`);
    check(conclusion.text, 'A conclusion');
  }
  return { paragraphs, conclusions: answer.conclusions.map((c) => clean(c.text)).filter(Boolean) };
}

/** The answers to all sections as one piece of prose for the draft. */
export function combineProse(parts: Prose[]): Prose {
  return {
    paragraphs: Object.assign({}, ...parts.map((p) => p.paragraphs)),
    conclusions: parts.flatMap((p) => p.conclusions ?? []).slice(0, maxConclusions)
  };
}
