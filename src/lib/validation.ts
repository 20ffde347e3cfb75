import * as v from 'valibot';
import { AppError } from './errors';
import { fieldKey, refusalOf, refused } from './refusals';

/** Parses input at the edge; the first problem becomes a 400 that names the field, in the catalogue's words. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input ?? {});
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const message = path && !issue.message.toLowerCase().includes(path.toLowerCase()) ? `${path}: ${issue.message}` : issue.message;
  const found = refusalOf(issue.message);
  if (found) return fail(new AppError(400, 'invalid_input', message, found.key, found.params));
  // A library's own message (no sentence of ours): the field it is about, in the reader's language.
  const field = path ? fieldKey(path.split('.')[0]) : undefined;
  if (field) return fail(new AppError(400, 'invalid_input', message, 'refusal.invalidField', { field: { key: field } }, true));
  return fail(refused(400, 'invalid_input', message));
}

function fail(error: AppError): never {
  throw error;
}
