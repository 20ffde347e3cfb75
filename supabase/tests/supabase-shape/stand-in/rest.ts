import type postgres from 'postgres';
import { rpcStatement, switchRoleStatement } from '../../../../src/lib/server/db/sql-rpc';
import type { Reply } from './auth';

/** PostgREST's HTTP status for an SQLSTATE (its error module); anything else is a 400. */
function statusOf(sqlstate: string, authenticated: boolean): number {
  const exact: Record<string, number> = {
    '23503': 409, '23505': 409, '25006': 405, '53400': 500, P0001: 400, '42883': 404, '42P01': 404, '42P17': 500
  };
  if (sqlstate in exact) return exact[sqlstate];
  if (sqlstate === '42501') return authenticated ? 403 : 401;
  const classes: [string, number][] = [
    ['08', 503], ['09', 500], ['0L', 403], ['0P', 403], ['25', 500], ['28', 403], ['2D', 500], ['38', 500], ['39', 500],
    ['3B', 500], ['40', 500], ['53', 503], ['54', 500], ['55', 500], ['57', 500], ['58', 500], ['F0', 500], ['HV', 500],
    ['P0', 500], ['XX', 500]
  ];
  return classes.find(([prefix]) => sqlstate.startsWith(prefix))?.[1] ?? 400;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * PostgREST as Kennisdag's clients use it: `POST /rpc/<function>` with named arguments, and (for the
 * service role's clean-up) reading and deleting rows by `column=eq.value`. Every request is one
 * transaction as authenticator, switched to the token's role with its claims in request.jwt.claims.
 */
export class RestStandIn {
  constructor(private readonly sql: postgres.Sql) {}

  async handle(method: string, path: string, query: URLSearchParams, body: any, claims: Record<string, any> | null): Promise<Reply> {
    if (!claims) return { status: 401, body: { code: 'PGRST301', message: 'No suitable key or wrong key type', details: null, hint: null } };
    if (claims.exp && claims.exp < Date.now() / 1000) {
      return { status: 401, body: { code: 'PGRST303', message: 'JWT expired', details: null, hint: null } };
    }
    const role = String(claims.role);
    const rpc = /^\/rpc\/([a-z_][a-z0-9_]*)$/.exec(path);
    let text: string;
    let params: unknown[];
    if (method === 'POST' && rpc) {
      ({ text, params } = rpcStatement(rpc[1], body ?? {}));
    } else {
      const table = /^\/([a-z_][a-z0-9_]*)$/.exec(path)?.[1];
      const filters = [...query.entries()].filter(([key]) => key !== 'select');
      const select = (query.get('select') ?? '*').split(',').filter(Boolean);
      if (!table || !['GET', 'DELETE'].includes(method) || filters.some(([k, v]) => !identifier.test(k) || !v.startsWith('eq.'))
          || select.some((c) => c !== '*' && !identifier.test(c))) {
        return { status: 400, body: { code: 'PGRST100', message: 'Not supported by this stand-in', details: null, hint: null } };
      }
      const where = filters.map(([k], i) => `${k}::text = $${i + 1}`).join(' and ') || 'true';
      params = filters.map(([, v]) => v.slice(3));
      text = method === 'GET'
        ? `select coalesce(jsonb_agg(to_jsonb(t)), '[]') as result from (select ${select.join(', ')} from public.${table} where ${where}) t`
        : `with d as (delete from public.${table} where ${where} returning 1) select null::jsonb as result from (select count(*) from d) c`;
    }
    try {
      const rows = await this.sql.begin(async (tx) => {
        await tx.unsafe(switchRoleStatement, [role, JSON.stringify(claims)]);
        return tx.unsafe(text, params as never[]);
      });
      const result = rows[0]?.result ?? null;
      return method === 'DELETE' ? { status: 204 } : { status: 200, body: result };
    } catch (e) {
      const err = e as { code?: string; message?: string; detail?: string; hint?: string };
      const code = err.code ?? 'XX000';
      return { status: statusOf(code, role !== 'anon'), body: { code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null } };
    }
  }
}
