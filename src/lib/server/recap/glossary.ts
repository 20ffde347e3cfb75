/**
 * An event's glossary: the abbreviations its note-takers use ("SM = sociale media"), which the
 * drafters write out. The organiser types it as text, one "term = meaning" a line; the API also
 * takes a list of terms. Mistakes are refused in the event's language, naming the line.
 */
import { AppError } from '../../errors';
import { translator, type MessageKey } from '../../i18n';
import { glossarySchema } from '../../schemas';
import { parseInput } from '../../validation';
import type { Actor } from '../actor';
import type { GlossaryEntry } from './shorthand';
import type { RecapLanguage } from './source';

export interface Glossary {
  language: RecapLanguage;
  terms: GlossaryEntry[];
}

/** The limits the database holds the glossary to as well. */
export const glossaryLimits = { terms: 200, term: 40, expansion: 200 } as const;

export function loadGlossary(actor: Actor, eventId: string): Promise<Glossary> {
  return actor.db.rpc<Glossary>('get_event_glossary', { p_event_id: eventId }, actor.caller);
}

/** The glossary as the organiser edits it: one "term = meaning" a line. */
export function glossaryText(terms: GlossaryEntry[]): string {
  return terms.map((t) => `${t.term} = ${t.expansion}`).join('\n');
}

interface Numbered extends GlossaryEntry {
  /** Where the entry was given ("Regel 3", "Entry 3"), for the message that refuses it. */
  at: string;
}

/** Checks the terms and returns them clean, or refuses the first mistake in the event's language. */
function checkTerms(entries: Numbered[], language: RecapLanguage): GlossaryEntry[] {
  const t = translator(language);
  const refuse = (key: MessageKey, params: Record<string, string | number>) => {
    throw new AppError(400, 'invalid_input', t(key, params));
  };
  if (entries.length > glossaryLimits.terms) refuse('glossary.tooMany', { max: glossaryLimits.terms });
  const seen = new Set<string>();
  return entries.map(({ term, expansion, at }) => {
    const [cleanTerm, cleanExpansion] = [term, expansion].map((s) => s.replace(/\s+/g, ' ').trim());
    if (!cleanTerm || !cleanExpansion) refuse('glossary.empty', { at });
    if (cleanTerm.includes('=')) refuse('glossary.noEquals', { at });
    if (cleanTerm.length > glossaryLimits.term) refuse('glossary.termLength', { at, max: glossaryLimits.term });
    if (cleanExpansion.length > glossaryLimits.expansion) refuse('glossary.expansionLength', { at, max: glossaryLimits.expansion });
    if (seen.has(cleanTerm.toLowerCase())) refuse('glossary.twice', { at, term: cleanTerm });
    seen.add(cleanTerm.toLowerCase());
    return { term: cleanTerm, expansion: cleanExpansion };
  });
}

/** The organiser's text as terms: one "term = meaning" a line; empty lines are skipped. */
export function parseGlossary(text: string, language: RecapLanguage): GlossaryEntry[] {
  const t = translator(language);
  const entries: Numbered[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const at = t('glossary.line', { n: i + 1 });
    const equals = line.indexOf('=');
    if (equals === -1) throw new AppError(400, 'invalid_input', t('glossary.noEquals', { at }));
    entries.push({ term: line.slice(0, equals), expansion: line.slice(equals + 1), at });
  });
  return checkTerms(entries, language);
}

/** Replaces the event's glossary (organisers only); the old one stays when the new one is refused. */
export async function saveGlossary(actor: Actor, eventId: string, input: unknown): Promise<Glossary> {
  const { terms } = parseInput(glossarySchema, input);
  const { language } = await loadGlossary(actor, eventId);
  const t = translator(language);
  const clean =
    typeof terms === 'string' ? parseGlossary(terms, language) : checkTerms(terms.map((e, i) => ({ ...e, at: t('glossary.entry', { n: i + 1 }) })), language);
  return actor.db.rpc<Glossary>('set_event_glossary', { p_event_id: eventId, p_terms: clean }, actor.caller);
}
