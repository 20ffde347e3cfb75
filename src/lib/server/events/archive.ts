import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from '../../../../schemas/event-archive.schema.json';
import { userError } from '../../errors';
import type { NoteKind, PollKind, PollPhase } from '../../domain';

const ajv = new Ajv2020({ allErrors: false, strict: false });
const validate = ajv.compile(schema);

export interface EventArchive {
  format?: 'kennisdag/event-archive@1';
  event: { title: string; question?: string | null; date: string; venue?: string | null; language: 'nl' | 'en'; organisers?: string[]; chair?: string | null; author?: string | null; photosUrl?: string | null };
  participants?: { name: string; organisation?: string; role?: string; listed?: boolean; email?: string; invited?: boolean; attended?: boolean }[];
  agenda?: { title: string; kind?: string; speaker?: string | null; plannedMinutes?: number; notes?: ArchiveNote[]; polls?: ArchivePoll[] }[];
  theses?: { text: string; status?: string; author?: string | null; notes?: ArchiveNote[]; polls?: ArchivePoll[] }[];
}
export interface ArchiveNote {
  kind: NoteKind;
  text: string;
  author?: string | null;
}
export interface ArchivePoll {
  question: string;
  kind: PollKind;
  options?: string[];
  phase?: PollPhase | null;
  results?: number[];
}

function describe(path: string, message: string, params: Record<string, unknown>): string {
  const field = path.replace(/^\//, '').replace(/\//g, '.') || 'the archive';
  if (params.missingProperty) return `${field === 'the archive' ? '' : field + '.'}${params.missingProperty} is missing.`;
  if (params.allowedValues) return `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
  return `${field} ${message}.`;
}

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/**
 * The first property the format does not have, found by walking the document along the schema
 * (without recursion), so that whatever hides under an unknown name never reaches Ajv or the database.
 */
function unknownProperty(input: unknown): string | null {
  const defs = (schema as { $defs: Record<string, SchemaNode> }).$defs;
  const pending: { node: SchemaNode; value: unknown; path: string }[] = [{ node: schema as SchemaNode, value: input, path: '' }];
  while (pending.length) {
    const { node: at, value, path } = pending.pop()!;
    const node = at.$ref ? defs[at.$ref.split('/').pop()!] : at;
    if (Array.isArray(value)) {
      if (node.items) value.forEach((item, i) => pending.push({ node: node.items!, value: item, path: `${path}${i}.` }));
    } else if (value && typeof value === 'object' && node.properties) {
      for (const [key, item] of Object.entries(value)) {
        if (!Object.hasOwn(node.properties, key)) return path + key;
        pending.push({ node: node.properties[key], value: item, path: `${path}${key}.` });
      }
    }
  }
  return null;
}

/** A refusal of an archive: the technical detail names the place in the file, framed in the reader's language. */
const archiveError = (detail: string) => userError(400, 'invalid_archive', 'refusal.archive', { detail });

/** Checks an archive against schemas/event-archive.schema.json and the rules a schema cannot say. */
export function validateArchive(input: unknown): EventArchive {
  const unknown = unknownProperty(input);
  if (unknown) throw archiveError(`${unknown} is not part of an event archive.`);
  if (!validate(input)) {
    const error = validate.errors![0];
    throw archiveError(describe(error.instancePath, error.message ?? 'is not valid', error.params as Record<string, unknown>));
  }
  const archive = input as unknown as EventArchive;
  if (Number.isNaN(Date.parse(archive.event.date))) throw archiveError('event.date is not a real date.');
  const checkPolls = (polls: ArchivePoll[] | undefined, where: string) =>
    polls?.forEach((poll, i) => {
      const options = poll.options ?? [];
      if (poll.kind === 'choice' && options.length < 2) throw archiveError(`${where}.polls.${i}.options needs at least 2 options for a choice poll.`);
      if (poll.kind === 'word_cloud' && options.length) throw archiveError(`${where}.polls.${i}.options must be empty for a word cloud.`);
      if (poll.results && poll.kind !== 'word_cloud' && options.length && poll.results.length !== options.length)
        throw archiveError(`${where}.polls.${i}.results must have one count per option (${options.length}).`);
    });
  archive.agenda?.forEach((item, i) => checkPolls(item.polls, `agenda.${i}`));
  archive.theses?.forEach((thesis, i) => checkPolls(thesis.polls, `theses.${i}`));
  return archive;
}
