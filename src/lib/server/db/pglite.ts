import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { toAppError } from './errors';
import { applyMigrations, migrationTarget } from './migrations';
import workerSource from './pglite-worker.js?raw';
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

type Message =
  | { op: 'exec'; sql: string }
  | { op: 'query'; text: string; params?: unknown[] }
  | { op: 'begin'; settings: [string, string] | null }
  | { op: 'commit' | 'rollback' | 'close' }
  | { op: 'call'; settings: [string, string]; text: string; params: unknown[] }
  | { op: 'vote'; call: VoteCall };

type Answer = { id: number; result?: unknown; error?: DatabaseErrorData };

interface DatabaseErrorData {
  message: string;
  code?: string;
  constraint?: string;
  detail?: string;
}

/** A database error that crossed from the worker, with the fields toAppError reads. */
function databaseError(data: DatabaseErrorData): Error {
  return Object.assign(new Error(data.message), { code: data.code, constraint: data.constraint, detail: data.detail });
}

/** Starts a database worker (pglite-worker.js) and waits until its database is open. */
async function startWorker(dataDir: string | undefined, initialiseOnly: boolean): Promise<Worker> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { pglite, dataDir: dataDir ?? null, initialiseOnly, switchRole: switchRoleStatement, castVotes: castVotesStatement, maxVotesPerBatch }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const opened = (message: { op?: string; error?: DatabaseErrorData }) => {
        if (message.op !== 'ready' && message.op !== 'failed') return;
        worker.off('message', opened);
        worker.off('error', reject);
        if (message.op === 'ready') resolve();
        else reject(databaseError(message.error!));
      };
      worker.on('message', opened);
      worker.once('error', reject);
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return worker;
}

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, data in a local folder. PGlite runs in a
 * worker thread of its own (pglite-worker.js), so the database and the server's HTTP work use both
 * cores. PGlite is a single connection and runs as a superuser, so every call goes through a
 * transaction that switches to the caller's role (superusers bypass row-level security), one at a time;
 * votes are written in batches by the worker itself.
 */
export class PgliteDatabase extends RoleSwitchingDatabase {
  readonly backend = 'pglite' as const;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    super();
    worker.unref();
    worker.on('message', (message: Answer & { op?: string; payload?: string; answers?: Answer[] }) => {
      if (message.op === 'notify') this.dispatch(message.payload!);
      else if (message.op === 'answers') for (const answer of message.answers!) this.answer(answer);
      else this.answer(message);
    });
    const stop = (error: Error) => {
      this.failure ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', stop);
    worker.on('exit', () => stop(new Error('The embedded database has stopped.')));
  }

  /** Opens (or creates) the database in `dataDir`, or in memory when it is undefined, and migrates it. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) {
      mkdirSync(dataDir, { recursive: true });
      await (await startWorker(dataDir, true)).terminate();
    }
    const db = new PgliteDatabase(await startWorker(dataDir, false));
    try {
      await applyMigrations(
        migrationTarget({
          exec: (sql) => db.send({ op: 'exec', sql }),
          query: (text, params) => db.send({ op: 'query', text, params }),
          transaction: (step) => db.send(step === 'begin' ? { op: 'begin', settings: null } : { op: step })
        })
      );
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  }

  private answer({ id, result, error }: Answer) {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    if (error) waiting.reject(databaseError(error));
    else waiting.resolve(result);
  }

  /** Sends one message to the worker and waits for its answer; an idle worker does not keep Node running. */
  private send<T>(message: Message): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
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
      return await this.exclusive(caller.kind === 'service', async () => {
        await this.send({ op: 'begin', settings: roleSettings(caller) });
        try {
          const result = await fn((text, params) => this.send({ op: 'query', text, params }));
          await this.send({ op: 'commit' });
          return result;
        } catch (error) {
          await this.send({ op: 'rollback' });
          throw error;
        }
      });
    } catch (error) {
      throw toAppError(error);
    }
  }

  protected async callAs<T>(caller: Caller, text: string, params: unknown[]): Promise<T[]> {
    try {
      return await this.exclusive(caller.kind === 'service', () => this.send<T[]>({ op: 'call', settings: roleSettings(caller), text, params }));
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** Votes go to the worker as they arrive; it writes those that arrive together in one transaction. */
  protected async castVote(args: RpcArgs, caller: Caller): Promise<unknown> {
    let outcome: VoteOutcome;
    try {
      outcome = await this.send<VoteOutcome>({ op: 'vote', call: voteCall(args, caller) });
    } catch (error) {
      throw toAppError(error);
    }
    const vote = voteOutcome(outcome);
    if (!vote.ok) throw vote.error;
    return vote.value;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.send({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
  }
}
