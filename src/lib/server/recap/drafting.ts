import pLimit from 'p-limit';
import { userError } from '../../errors';
import { draftRecapSchema } from '../../schemas';
import type { LlmFallback } from '../../types';
import { parseInput } from '../../validation';
import type { Actor } from '../actor';
import { draftRecap, draftSection, type Prose } from './builtin';
import { acceptAnswer, combineProse, OpenAiProseWriter, proseRequests, sectionConcurrency, type ProseWriter } from './llm';
import { replaceSection } from './sections';
import { loadRecapSource, type RecapSource } from './source';
import { getRecap, saveRecapVersion, type RecapVersion } from './versions';

export interface DraftResult {
  recapId: string;
  version: number;
  engine: 'builtin' | 'llm';
  markdown: string;
  /** Why the language model's draft was not used, when it was asked for. */
  warning?: string;
  /** The same as a reason a page says in its own language: not allowed, not configured, or failed (with what the model said). */
  fallback?: LlmFallback;
}


export interface LlmConfig {
  apiKey?: string;
  baseUrl?: string;
  model: string;
}

const messages = {
  notAllowed: {
    en: 'This event does not allow sending notes to the language model; the built-in draft is shown. An organiser can allow it on the event page.',
    nl: 'Dit evenement staat niet toe dat notities naar het taalmodel gaan; het ingebouwde concept wordt getoond. Een organisator kan dit toestaan op de evenementpagina.'
  },
  notConfigured: {
    en: 'No language model is configured on this server (OPENAI_API_KEY); the built-in draft is shown.',
    nl: 'Er is op deze server geen taalmodel ingesteld (OPENAI_API_KEY); het ingebouwde concept wordt getoond.'
  },
  failed: {
    en: (why: string) => `The language model’s draft could not be used (${why}); the built-in draft is shown.`,
    nl: (why: string) => `Het concept van het taalmodel kon niet worden gebruikt (${why}); het ingebouwde concept wordt getoond.`
  }
};

/**
 * Asks the language model for prose, one request per thesis or talk and a few at a time, or says why
 * the built-in draft is used instead. One refused or failed section sends the whole draft back to the
 * built-in drafter: a recap is not half one and half the other.
 */
export async function languageModelProse(source: RecapSource, writer: ProseWriter | null): Promise<{ prose?: Prose; warning?: string; fallback?: LlmFallback }> {
  const language = source.event.language;
  if (!source.event.allowLlm) return { warning: messages.notAllowed[language], fallback: { reason: 'not_allowed' } };
  if (!writer) return { warning: messages.notConfigured[language], fallback: { reason: 'not_configured' } };
  const requests = proseRequests(source);
  if (!requests.length) return {};
  const limit = pLimit(sectionConcurrency);
  try {
    const parts = await Promise.all(
      requests.map((request) =>
        limit(async () => acceptAnswer(request, await writer.write(request), source.glossary)).catch((error: unknown) => {
          // The other sections' answers would not be used: do not ask for them.
          limit.clearQueue();
          throw error;
        })
      )
    );
    return { prose: combineProse(parts) };
  } catch (error) {
    const why = (error as Error).name === 'APIConnectionTimeoutError' || /timed? ?out/i.test((error as Error).message) ? 'timeout' : (error as Error).message;
    return { warning: messages.failed[language](why.slice(0, 200)), fallback: { reason: 'failed', detail: why.slice(0, 200) } };
  }
}

export function proseWriter(config: LlmConfig): ProseWriter | null {
  return config.apiKey ? new OpenAiProseWriter({ apiKey: config.apiKey, baseUrl: config.baseUrl, model: config.model }) : null;
}

/**
 * Drafts the recap (or one section of an existing version) and saves it as a new version. The
 * built-in drafter is the default; the language model only when asked, allowed and configured.
 */
export async function draftRecapVersion(actor: Actor, eventId: string, input: unknown, writer: ProseWriter | null): Promise<DraftResult> {
  const i = parseInput(draftRecapSchema, input);
  const source = await loadRecapSource(actor, eventId);
  const { prose, warning, fallback } = i.engine === 'llm' ? await languageModelProse(source, writer) : {};
  const engine = prose ? 'llm' : 'builtin';

  let saved: RecapVersion;
  if (i.recapId && i.section) {
    const current = await getRecap(actor, { recapId: i.recapId });
    if (current.eventId !== eventId) throw userError(404, 'not_found', 'refusal.notInEvent', { field: { key: 'field.recap' } });
    const fresh = draftSection(source, i.section, prose);
    if (fresh === null) throw userError(404, 'not_found', 'refusal.noSection');
    const markdown = replaceSection(current.markdown, i.section, fresh);
    if (markdown === null) throw userError(409, 'conflict', 'refusal.sectionGone');
    saved = await saveRecapVersion(actor, eventId, markdown, 'manual', current.id);
  } else {
    saved = await saveRecapVersion(actor, eventId, draftRecap(source, prose).markdown, engine);
  }
  return { recapId: saved.id, version: saved.version, engine, markdown: saved.markdown, ...(warning ? { warning, fallback } : {}) };
}
