import * as v from 'valibot';
import { AppError } from './errors';

/** Parses input at the edge; the first problem becomes a 400 that names the field. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input ?? {});
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const message = path && !issue.message.toLowerCase().includes(path.toLowerCase()) ? `${path}: ${issue.message}` : issue.message;
  throw new AppError(400, 'invalid_input', message);
}
