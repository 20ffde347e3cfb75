import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { say } from './errors';
import { translator } from './i18n';
import { refusalOf } from './refusals';
import * as schemas from './schemas';
import { parseInput } from './validation';

const migrations = join(import.meta.dirname, '../../supabase/migrations');

/** Every message the SQL functions pass to private.fail, as written (a format string keeps its %s). */
function sqlMessages(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
    const sql = readFileSync(join(migrations, file), 'utf8');
    for (const m of sql.matchAll(/private\.fail\('KD\d{3}',\s*(?:format\(\s*)?'((?:[^']|'')*)'/g)) found.add(m[1].replace(/''/g, "'"));
    for (const m of sql.matchAll(/(?:then|else)\s+'((?:[^']|'')*)'/g)) if (/[.!]$/.test(m[1])) found.add(m[1].replace(/''/g, "'"));
    // Refusals said in the event's language: both sentences of private.said(language, nl, en).
    for (const m of sql.matchAll(/private\.said\([^,]+,\s*(?:format\(\s*)?'((?:[^']|'')*)'[^']*?'((?:[^']|'')*)'/g)) {
      found.add(m[1].replace(/''/g, "'"));
      found.add(m[2].replace(/''/g, "'"));
    }
  }
  return [...found];
}

/** A format string with its %s filled in with what the functions put there. */
function samples(message: string): string[] {
  const values = ['Name', 'The thesis', 'chair', 'note-taker', 'discussed', 'not discussed', '5', 'SM'];
  let out = [message];
  while (out[0].includes('%s')) out = out.flatMap((m) => values.map((value) => m.replace('%s', value)));
  return out;
}

describe('refusals are said in the reader’s language', () => {
  it('every message of the SQL functions has a catalogue key', () => {
    const messages = sqlMessages();
    expect(messages.length).toBeGreaterThan(60);
    const unknown = messages.filter((message) => !samples(message).some((sample) => refusalOf(sample)));
    expect(unknown).toEqual([]);
  });

  it('the dynamic refusals too: an open poll, a full room, a removed phone', () => {
    const nl = translator('nl');
    const open = refusalOf('A poll is already open (“Stand-ups should stand.”, 1 vote). Close it first, or confirm that it closes before the next one opens; its votes are kept.')!;
    expect(say(nl, open.key, open.params)).toBe(
      'Er is al een peiling open („Stand-ups should stand.”, 1 stem). Sluit die eerst, of bevestig dat hij sluit voordat de volgende opent; de stemmen blijven bewaard.'
    );
    const full = refusalOf('De zaal is vol: er kunnen 1200 deelnemers meedoen. Vraag de organisator om meer plaatsen.')!;
    expect(say(translator('en'), full.key, full.params)).toBe('The room is full: it has room for 1,200 participants. Ask the organiser for more seats.');
    expect(say(nl, full.key, full.params)).toContain('1.200 deelnemers');
    expect(refusalOf('Je bent uit dit evenement verwijderd.')?.key).toBe('refusal.removed');
    const role = refusalOf('Only the note-taker can do this.')!;
    expect(say(nl, role.key, role.params)).toBe('Alleen de notulist kan dit doen.');
  });

  it('every refusal of every input schema has a catalogue key', () => {
    // Each schema gets, field by field, the wrong type, an empty text, a very long text and a number out of range.
    const bad = [undefined, 42, '', 'x'.repeat(600_000), -5, 10_000_000, 'not-an-id', true, [], {}];
    const unknown = new Set<string>();
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema || typeof schema !== 'object' || !('kind' in schema) || schema.kind !== 'schema') continue;
      const entries = (schema as { entries?: Record<string, unknown> }).entries ?? (schema as { pipe?: { entries?: Record<string, unknown> }[] }).pipe?.[0]?.entries;
      if (!entries) continue;
      for (const field of Object.keys(entries)) {
        for (const value of bad) {
          const result = v.safeParse(schema as v.GenericSchema, { [field]: value });
          if (result.success) continue;
          for (const issue of result.issues) if (!refusalOf(issue.message)) unknown.add(`${name}.${field}: ${issue.message}`);
        }
      }
    }
    // valibot's own wording (a pipe step without a sentence of ours) is said per field instead.
    expect([...unknown].filter((m) => !/Invalid (type|length|format|UUID|value|key)/.test(m))).toEqual([]);
  });

  it('a Dutch reader gets a refused input in Dutch, an English one in English', () => {
    let error: unknown;
    try {
      parseInput(schemas.submitThesisSchema, { text: '   ' });
    } catch (e) {
      error = e;
    }
    const refusal = error as { messageKey: Parameters<typeof say>[1]; messageParams: Parameters<typeof say>[2]; message: string };
    expect(say(translator('nl'), refusal.messageKey, refusal.messageParams)).toBe('De stelling is leeg.');
    expect(say(translator('en'), refusal.messageKey, refusal.messageParams)).toBe('The thesis is empty.');
  });
});
