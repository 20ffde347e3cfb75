import { AppError, userError } from '../../errors';
import { fieldKey, refused } from '../../refusals';

/** The SQLSTATEs raised by the domain functions (`private.fail`) and by constraints, as HTTP errors. */
const domainCodes: Record<string, { status: number; code: string }> = {
  KD400: { status: 400, code: 'invalid_input' },
  KD401: { status: 401, code: 'unauthenticated' },
  KD403: { status: 403, code: 'forbidden' },
  KD404: { status: 404, code: 'not_found' },
  KD409: { status: 409, code: 'conflict' }
};

const inputCodes = new Set(['22001', '22003', '22007', '22008', '22023', '22P02', '23502', '23503', '23514', '22004']);

function fieldOf(constraint: string | undefined, message: string): string | undefined {
  const name = constraint ?? /constraint "([^"]+)"/.exec(message)?.[1] ?? /column "([^"]+)"/.exec(message)?.[1];
  if (!name) return undefined;
  return name
    .replace(/^(events|event_members|agenda_items|theses|polls|votes|notes|recaps)_/, '')
    .replace(/_(check|fkey|key|not_null)\d*$/, '')
    .replace(/_/g, ' ');
}

/** Turns a driver error into the AppError a user can read; anything unknown stays a server error. */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; message?: string; constraint?: string; constraint_name?: string; details?: string };
  const sqlstate = e?.code;
  if (!sqlstate || typeof sqlstate !== 'string') return error;
  const message = e.message ?? '';
  const domain = domainCodes[sqlstate];
  if (domain) return refused(domain.status, domain.code, message);
  if (sqlstate === '23505') return userError(409, 'conflict', 'refusal.exists');
  if (sqlstate === '42501') return userError(403, 'forbidden', 'refusal.forbidden');
  // A NUL character (or a \u0000 in JSON) reached the database: the edge refuses these first.
  if (sqlstate === '22021' || sqlstate === '22P05') return userError(400, 'invalid_input', 'edge.nul');
  if (inputCodes.has(sqlstate)) {
    const field = fieldOf(e.constraint ?? e.constraint_name, message);
    const key = field ? fieldKey(field) : undefined;
    const format = sqlstate === '22P02' || sqlstate === '22007' || sqlstate === '22008';
    return userError(400, 'invalid_input', format ? 'refusal.formatField' : 'refusal.invalidField', { field: { key: key ?? 'field.value' } });
  }
  return error;
}
