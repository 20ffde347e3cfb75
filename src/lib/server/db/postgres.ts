import postgres from 'postgres';
import { toAppError } from './errors';
import { applyMigrations, type MigrationTarget } from './migrations';
import { RoleSwitchingDatabase, roleSettings, switchRoleStatement } from './sql-rpc';
import type { Caller, SqlQuery } from './types';

/** Any number of app servers may migrate at once; one does the work, the others wait. */
const migrationLockKey = 4_726_110_001;

/**
 * A PostgreSQL server through `DATABASE_URL`. Broadcasts arrive with LISTEN, so several app servers
 * sharing one database each relay every change to their own clients.
 */
export class PostgresDatabase extends RoleSwitchingDatabase {
  readonly backend = 'postgres' as const;
  private unlisten: (() => Promise<void>) | undefined;

  /**
   * `sql` serves the requests; `serverSql`, a small pool of its own, serves the server's own reads
   * (live tallies and snapshots, sign-in), so a hall voting at once cannot starve the projector.
   */
  private constructor(
    private readonly sql: postgres.Sql,
    private readonly serverSql: postgres.Sql
  ) {
    // Two batches of votes at a time: one is written while the next crosses the network.
    super({ maxBatch: 256, maxInFlight: 2 });
  }

  static async open(databaseUrl: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
    const sql = postgres(databaseUrl, { max: options.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
    const serverSql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connect_timeout: 10 });
    const db = new PostgresDatabase(sql, serverSql);
    try {
      await db.migrate();
      const listening = await sql.listen('realtime', (payload) => db.dispatch(payload));
      db.unlisten = () => listening.unlisten();
    } catch (error) {
      await Promise.all([sql.end({ timeout: 1 }), serverSql.end({ timeout: 1 })]);
      throw error;
    }
    return db;
  }

  private async migrate() {
    const connection = await this.sql.reserve();
    try {
      await connection`select pg_advisory_lock(${migrationLockKey})`;
      const target: MigrationTarget = {
        exec: async (text) => {
          await connection.unsafe(text);
        },
        appliedVersions: async () =>
          new Set((await connection`select version from supabase_migrations.schema_migrations`).map((r) => r.version as string)),
        record: async (m) => {
          await connection`insert into supabase_migrations.schema_migrations (version, name, statements) values (${m.version}, ${m.name}, ${[m.sql]})`;
        },
        inTransaction: async (fn) => {
          await connection`begin`;
          try {
            await fn();
            await connection`commit`;
          } catch (error) {
            await connection`rollback`;
            throw error;
          }
        }
      };
      await applyMigrations(target);
    } finally {
      await connection`select pg_advisory_unlock(${migrationLockKey})`.catch(() => {});
      connection.release();
    }
  }


  async withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    try {
      const pool = caller.kind === 'service' ? this.serverSql : this.sql;
      return (await pool.begin(async (tx) => {
        await tx.unsafe(switchRoleStatement, roleSettings(caller));
        const query: SqlQuery = async (text, params) => (await tx.unsafe(text, (params ?? []) as never[])) as never;
        return fn(query);
      })) as T;
    } catch (error) {
      throw toAppError(error);
    }
  }

  protected async runBatch<T>(text: string, params: unknown[]): Promise<T[]> {
    return (await this.sql.unsafe(text, params as never[])) as unknown as T[];
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    await Promise.all([this.sql.end({ timeout: 2 }), this.serverSql.end({ timeout: 2 })]);
  }
}
