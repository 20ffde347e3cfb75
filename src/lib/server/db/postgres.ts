import postgres from 'postgres';
import { toAppError } from './errors';
import { applyMigrations, migrationTarget } from './migrations';
import { GroupCommit, type Outcome } from './group-commit';
import {
  castVotesStatement,
  maxVotesPerBatch,
  RoleSwitchingDatabase,
  roleSettings,
  switchRoleStatement,
  voteCall,
  voteOutcome,
  type VoteCall,
  type VoteOutcome
} from './sql-rpc';
import type { Caller, RpcArgs, SqlQuery } from './types';

/**
 * The server's statements are fixed texts sent again and again (a role switch, a function call, a vote
 * batch), so each goes as a named prepared statement of its connection: a statement with parameters
 * that is not prepared first asks the server for its parameter types, a round trip of its own that
 * also stops the pipeline.
 */
const prepared = { prepare: true } as const;

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
    super();
  }

  /**
   * Votes that arrive while a batch is being written go together in the next one: one statement, one
   * transaction. Two batches at a time: one is written while the next crosses the network.
   */
  private readonly votes = new GroupCommit<{ call: VoteCall; voter: string }, unknown>((batch) => this.castVotes(batch), {
    maxBatch: maxVotesPerBatch,
    maxInFlight: 2
  });

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
      await applyMigrations(
        migrationTarget({
          exec: (sql) => connection.unsafe(sql),
          query: (text, params) => connection.unsafe(text, params as never[]),
          transaction: (step) => connection.unsafe(step)
        })
      );
    } finally {
      await connection`select pg_advisory_unlock(${migrationLockKey})`.catch(() => {});
      connection.release();
    }
  }


  async withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    try {
      const pool = caller.kind === 'service' ? this.serverSql : this.sql;
      return (await pool.begin(async (tx) => {
        await tx.unsafe(switchRoleStatement, roleSettings(caller), prepared);
        const query: SqlQuery = async (text, params) => (await tx.unsafe(text, (params ?? []) as never[], prepared)) as never;
        return fn(query);
      })) as T;
    } catch (error) {
      throw toAppError(error);
    }
  }

  /**
   * One statement in a transaction of its own, sent as one pipeline (begin, the role switch, the
   * statement, commit): one round trip. On a busy server each round trip waits its turn in the event
   * loop, and a live tally that took several came to the projector half a second late. A failed
   * statement leaves the transaction aborted, and the commit that follows rolls it back.
   */
  protected async callAs<T>(caller: Caller, text: string, params: unknown[]): Promise<T[]> {
    const connection = await (caller.kind === 'service' ? this.serverSql : this.sql).reserve();
    try {
      const [, , statement] = await Promise.allSettled([
        connection`begin`,
        connection.unsafe(switchRoleStatement, roleSettings(caller), prepared),
        connection.unsafe(text, params as never[], prepared),
        connection`commit`
      ]);
      if (statement.status === 'rejected') throw toAppError(statement.reason);
      return statement.value as unknown as T[];
    } finally {
      connection.release();
    }
  }

  protected castVote(args: RpcArgs, caller: Caller): Promise<unknown> {
    return this.votes.submit({ call: voteCall(args, caller), voter: caller.kind === 'user' ? caller.claims.sub : '' });
  }

  /** A batch takes its voters' row locks in one order (by voter), so two batches never deadlock. */
  private async castVotes(batch: { call: VoteCall; voter: string }[]): Promise<Outcome<unknown>[]> {
    const order = batch.map((_, i) => i).sort((a, b) => (batch[a].voter < batch[b].voter ? -1 : batch[a].voter > batch[b].voter ? 1 : 0));
    let outcomes: VoteOutcome[];
    try {
      [{ outcomes }] = (await this.sql.unsafe(castVotesStatement, [JSON.stringify(order.map((i) => batch[i].call))], prepared)) as unknown as { outcomes: VoteOutcome[] }[];
    } catch (error) {
      throw toAppError(error);
    }
    const answers = new Array<Outcome<unknown>>(batch.length);
    order.forEach((i, k) => (answers[i] = voteOutcome(outcomes[k])));
    return answers;
  }

  /** A query client for rate-limiter-flexible's PostgreSQL store, as the server's own login role. */
  limiterClient() {
    return {
      query: async (q: { text: string; values?: unknown[] }) => ({ rows: await this.sql.unsafe(q.text, (q.values ?? []) as never[]) })
    };
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    await Promise.all([this.sql.end({ timeout: 2 }), this.serverSql.end({ timeout: 2 })]);
  }
}
