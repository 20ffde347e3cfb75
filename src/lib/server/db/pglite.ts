import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { toAppError } from './errors';
import { applyMigrations, type MigrationTarget } from './migrations';
import { RoleSwitchingDatabase, roleSettings, switchRoleStatement } from './sql-rpc';
import type { Caller, SqlQuery } from './types';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, data in a local folder.
 * PGlite is a single connection and runs as a superuser, so every call goes through a transaction
 * that switches to the caller's role (superusers bypass row-level security), one at a time.
 */
export class PgliteDatabase extends RoleSwitchingDatabase {
  readonly backend = 'pglite' as const;
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(private readonly pg: PGlite) {
    super();
  }

  /** Opens (or creates) the database in `dataDir`, or in memory when it is undefined, and migrates it. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create(dataDir ? { dataDir } : {});
    const db = new PgliteDatabase(pg);
    await applyMigrations(db.migrationTarget());
    db.unlisten = await pg.listen('realtime', (payload) => db.dispatch(payload));
    return db;
  }

  private migrationTarget(): MigrationTarget {
    const pg = this.pg;
    return {
      exec: async (sql) => {
        await pg.exec(sql);
      },
      appliedVersions: async () =>
        new Set((await pg.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version)),
      record: async (m) => {
        await pg.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [m.version, m.name, [m.sql]]);
      },
      inTransaction: async (fn) => {
        await pg.exec('begin');
        try {
          await fn();
          await pg.exec('commit');
        } catch (error) {
          await pg.exec('rollback');
          throw error;
        }
      }
    };
  }


  private busy = false;
  private readonly waiting: { server: (() => void)[]; requests: (() => void)[] } = { server: [], requests: [] };

  /**
   * One transaction at a time, as PGlite is one connection; the server's own reads (live tallies,
   * snapshots) go before queued requests, so a hall voting at once does not hold up the projector.
   */
  private async exclusive<T>(server: boolean, run: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (server ? this.waiting.server : this.waiting.requests).push(resolve));
    this.busy = true;
    try {
      return await run();
    } finally {
      const next = this.waiting.server.shift() ?? this.waiting.requests.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  async withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    try {
      return await this.exclusive(caller.kind === 'service', () => this.pg.transaction(async (tx) => {
        await tx.query(switchRoleStatement, roleSettings(caller));
        const query: SqlQuery = async (text, params) => (await tx.query(text, params)).rows as never;
        return fn(query);
      }));
    } catch (error) {
      throw toAppError(error);
    }
  }



  async close(): Promise<void> {
    await this.unlisten?.();
    await this.pg.close();
  }
}
