import type { Caller, Database } from './db/types';

/** Who is asking, and through which database: what every domain function receives. */
export interface Actor {
  db: Database;
  caller: Caller;
}

/** Row types come back from SQL in snake_case; screens and the API speak camelCase. */
export function camelKeys<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as T;
}
