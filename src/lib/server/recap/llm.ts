/**
 * The language-model drafter, behind a small port. The model writes only prose: paragraphs for each
 * thesis and talk that cite the notes they rest on, and conclusions that cite theses. The app checks
 * every citation and every name, inserts all numbers itself, and falls back to the built-in draft
 * when the answer is late, broken or unsupported.
 */
import OpenAI from 'openai';
import type { Prose } from './builtin';
import { closingItem, discussedTheses } from './builtin';
import type { RecapSource, SourceNote } from './source';

export interface LlmSettings {
  apiKey: string;
  baseUrl?: string;
  model: string;
  timeoutMs?: number;
}

export interface ProseRequest {
  language: 'nl' | 'en';
  title: string;
  sections: { id: string; kind: 'thesis' | 'talk' | 'closing'; title: string; notes: { id: string; kind: SourceNote['kind']; text: string; speaker: string | null }[] }[];
  thesisIds: string[];
}

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
  en: 'You edit the recap of a knowledge day. For each section, write the discussion as flowing paragraphs in English, using only what the notes say; cite the ids of the notes each paragraph rests on. Do not write numbers, percentages or vote results (the app adds them). Do not name anyone who is not named in the notes. Then write up to six conclusions, each citing the thesis ids it comes from.',
  nl: 'Je redigeert het verslag van een kennisdag. Schrijf per sectie de discussie als lopende alinea’s in het Nederlands, alleen op basis van wat de notities zeggen; noem bij elke alinea de ids van de notities waarop die rust. Schrijf geen getallen, percentages of stemuitslagen (die voegt de app toe). Noem niemand die niet in de notities genoemd wordt. Schrijf daarna hoogstens zes conclusies, elk met de ids van de stellingen waaruit ze volgen.'
};

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
 * What is sent: the notes of discussed theses, talks and the closing, from a source that already had
 * consent applied (applyConsent), so no withheld name is in it.
 */
export function proseRequest(source: RecapSource): ProseRequest {
  const notes = (list: SourceNote[]) => list.map((n) => ({ id: n.id, kind: n.kind, text: n.text, speaker: n.speaker }));
  const closing = closingItem(source);
  return {
    language: source.event.language,
    title: source.event.title,
    thesisIds: discussedTheses(source).map((t) => t.id),
    sections: [
      ...source.agenda.filter((a) => a.notes.length).map((a) => ({ id: a.id, kind: (a === closing ? 'closing' : 'talk') as 'closing' | 'talk', title: a.title, notes: notes(a.notes) })),
      ...discussedTheses(source).filter((t) => t.notes.length).map((t) => ({ id: t.id, kind: 'thesis' as const, title: t.text, notes: notes(t.notes) }))
    ]
  };
}

export class RejectedAnswer extends Error {}

/**
 * Checks an answer against what was asked: known sections, cited notes that exist in that section,
 * no numbers, and no person's name that the request did not contain.
 */
export function acceptAnswer(request: ProseRequest, answer: ProseAnswer): Prose {
  if (!answer || !Array.isArray(answer.sections) || !Array.isArray(answer.conclusions)) throw new RejectedAnswer('The answer does not follow the schema.');
  const sections = new Map(request.sections.map((s) => [s.id, s]));
  const corpus = JSON.stringify(request);
  const inventedName = (text: string) =>
    (text.match(/\b\p{Lu}\p{Ll}+(?:\s+(?:van|de|der|den|von|le|la|du|ter|ten)){0,2}\s+\p{Lu}\p{Ll}+/gu) ?? []).find((name) => !corpus.includes(name));
  const paragraphs: Record<string, string[]> = {};
  for (const section of answer.sections) {
    const asked = sections.get(section.id);
    if (!asked) throw new RejectedAnswer(`The answer writes about ${section.id}, which was not asked for.`);
    const noteIds = new Set(asked.notes.map((n) => n.id));
    for (const paragraph of section.paragraphs) {
      const unknown = paragraph.noteIds.find((id) => !noteIds.has(id));
      if (unknown) throw new RejectedAnswer(`A paragraph cites note ${unknown}, which does not exist in that section.`);
      if (!paragraph.noteIds.length) throw new RejectedAnswer('A paragraph cites no note.');
      if (/\d+\s*%/.test(paragraph.text)) throw new RejectedAnswer('A paragraph states a percentage; the app writes the numbers.');
      const name = inventedName(paragraph.text);
      if (name) throw new RejectedAnswer(`A paragraph names ${name}, who is not in the notes.`);
    }
    paragraphs[section.id] = section.paragraphs.map((p) => p.text.replace(/\s+/g, ' ').trim()).filter(Boolean);
  }
  const theses = new Set(request.thesisIds);
  for (const conclusion of answer.conclusions) {
    const unknown = conclusion.thesisIds.find((id) => !theses.has(id));
    if (unknown) throw new RejectedAnswer(`A conclusion cites thesis ${unknown}, which was not discussed.`);
    if (/\d+\s*%/.test(conclusion.text)) throw new RejectedAnswer('A conclusion states a percentage; the app writes the numbers.');
    const name = inventedName(conclusion.text);
    if (name) throw new RejectedAnswer(`A conclusion names ${name}, who is not in the notes.`);
  }
  return { paragraphs, conclusions: answer.conclusions.map((c) => c.text.replace(/\s+/g, ' ').trim()).filter(Boolean) };
}
