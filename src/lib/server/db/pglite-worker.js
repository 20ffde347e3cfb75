// The embedded database's own thread. PGlite runs PostgreSQL compiled to WebAssembly on the thread that
// calls it; here that is a worker, so queries run beside the server's HTTP and JSON work instead of
// between it. pglite.ts starts this file as a worker script (CommonJS, hence `require`) with
// `workerData = { pglite, dataDir, initialiseOnly, switchRole, castVotes, maxVotesPerBatch }`: the path
// of the PGlite module, the data folder (null: in memory), and the statements and batch size of
// sql-rpc.ts. With initialiseOnly it creates the database in a new folder, closes it and reports ready:
// creating one takes a few hundred megabytes that are returned only when the worker that did it ends.
//
// The protocol: the worker posts `{ op: 'ready' }` once the database is open (or `{ op: 'failed',
// error }`), and `{ op: 'notify', payload }` for every notification on the `realtime` channel. Requests
// carry an id and are answered with `{ id, result }` or `{ id, error }`:
//   { id, op: 'exec', sql }                      a script, no parameters
//   { id, op: 'query', text, params }            one statement; the result is its rows
//   { id, op: 'begin', settings }                opens a transaction; settings: [role, claims] or null
//   { id, op: 'commit' } / { id, op: 'rollback' }
//   { id, op: 'call', settings, text, params }   begin, switch role, one statement, commit: the rows
//   { id, op: 'close' }                          stops listening and closes the database
// Votes, `{ id, op: 'vote', call }`, are answered together, `{ op: 'answers', answers: [{ id, result }
// | { id, error }] }`: the worker writes all the votes that arrived while it was busy in one batch
// (castVotes, one transaction), when no transaction is open and nothing else waits. So the database
// never waits for the server's thread to hand it the next batch.
const { parentPort, workerData } = require('node:worker_threads');

/** A database error as plain data: what toAppError reads (SQLSTATE, constraint) survives the message. */
function plainError(/** @type {any} */ error) {
  return {
    message: String(error?.message ?? error),
    code: typeof error?.code === 'string' ? error.code : undefined,
    constraint: error?.constraint,
    detail: error?.detail
  };
}

async function main() {
  const { PGlite } = require(workerData.pglite);
  /** @type {import('@electric-sql/pglite').PGlite} */
  const pg = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
  if (workerData.initialiseOnly) return pg.close();
  const unlisten = await pg.listen('realtime', (payload) => parentPort?.postMessage({ op: 'notify', payload }));

  /** @param {string} text @param {unknown[] | undefined} params */
  const rows = async (text, params) => (await pg.query(text, params)).rows;
  let inTransaction = false;
  /** @param {[string, string] | null} settings */
  const begin = async (settings) => {
    await pg.exec('begin');
    if (settings) await pg.query(workerData.switchRole, settings);
  };

  /** @param {any} message */
  async function handle(message) {
    switch (message.op) {
      case 'exec':
        await pg.exec(message.sql);
        return null;
      case 'query':
        return rows(message.text, message.params);
      case 'begin':
        // Open from its first statement, even if switching the role fails: until the rollback no vote may run in it.
        inTransaction = true;
        await begin(message.settings);
        return null;
      case 'commit':
      case 'rollback':
        inTransaction = false;
        await pg.exec(message.op);
        return null;
      case 'call':
        await begin(message.settings);
        try {
          const result = await rows(message.text, message.params);
          await pg.exec('commit');
          return result;
        } catch (error) {
          await pg.exec('rollback');
          throw error;
        }
      case 'close':
        await unlisten();
        await pg.close();
        parentPort?.close();
        return null;
      default:
        throw new Error(`Unknown database operation: ${message.op}`);
    }
  }

  /** @param {any[]} votes */
  async function castVotes(votes) {
    let answers;
    try {
      const [{ outcomes }] = await rows(workerData.castVotes, [JSON.stringify(votes.map((vote) => vote.call))]);
      answers = votes.map((vote, i) => ({ id: vote.id, result: outcomes[i] }));
    } catch (error) {
      answers = votes.map((vote) => ({ id: vote.id, error: plainError(error) }));
    }
    parentPort?.postMessage({ op: 'answers', answers });
  }

  // The server's thread sends one operation at a time (and the statements of a transaction one after
  // the other); votes come as they arrive and wait here for the next batch.
  /** @type {any[]} */
  const operations = [];
  /** @type {any[]} */
  const votes = [];
  let running = false;

  async function run() {
    running = true;
    try {
      for (;;) {
        // Let the messages that arrived meanwhile in: they join this turn's batch.
        await new Promise((resolve) => setImmediate(resolve));
        const message = operations.shift();
        if (message) {
          try {
            parentPort?.postMessage({ id: message.id, result: await handle(message) });
          } catch (error) {
            parentPort?.postMessage({ id: message.id, error: plainError(error) });
          }
        } else if (votes.length > 0 && !inTransaction) {
          await castVotes(votes.splice(0, workerData.maxVotesPerBatch));
        } else {
          return;
        }
      }
    } finally {
      running = false;
    }
  }

  parentPort?.on('message', (message) => {
    (message.op === 'vote' ? votes : operations).push(message);
    if (!running) void run();
  });
}

main().then(
  () => parentPort?.postMessage({ op: 'ready' }),
  (error) => parentPort?.postMessage({ op: 'failed', error: plainError(error) })
);
