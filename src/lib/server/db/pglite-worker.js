// The embedded database's own thread. PGlite runs PostgreSQL compiled to WebAssembly on the thread that
// calls it; here that is a worker, so queries run beside the server's HTTP and JSON work instead of
// between it. pglite.ts starts this file as a worker script (CommonJS, hence `require`) with
// `workerData = { pglite: <path of the PGlite module>, dataDir: <folder, or null for memory>,
// switchRole: <the statement that sets a transaction's role and claims>, initialiseOnly: <boolean> }`.
// With initialiseOnly it creates the database in a new folder, closes it and reports ready: creating
// one takes a few hundred megabytes that are returned only when the worker that did it ends.
//
// The protocol, one message at a time, each answered with `{ id, result }` or `{ id, error }`:
//   { id, op: 'exec', sql }                      a script, no parameters
//   { id, op: 'query', text, params }            one statement; the result is its rows
//   { id, op: 'begin', settings }                opens a transaction; settings: [role, claims] or null
//   { id, op: 'commit' } / { id, op: 'rollback' }
//   { id, op: 'call', settings, text, params }   begin, switch role, one statement, commit: the rows
//   { id, op: 'close' }                          stops listening and closes the database
// Unasked, the worker posts `{ op: 'ready' }` once the database is open (or `{ op: 'failed', error }`)
// and `{ op: 'notify', payload }` for every notification on the `realtime` channel.
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
        await begin(message.settings);
        return null;
      case 'commit':
      case 'rollback':
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

  // One message after the other: PGlite is a single connection, and a transaction's statements
  // must not interleave with another's.
  let queue = Promise.resolve();
  parentPort?.on('message', (message) => {
    queue = queue.then(async () => {
      try {
        parentPort?.postMessage({ id: message.id, result: await handle(message) });
      } catch (error) {
        parentPort?.postMessage({ id: message.id, error: plainError(error) });
      }
    });
  });
}

main().then(
  () => parentPort?.postMessage({ op: 'ready' }),
  (error) => parentPort?.postMessage({ op: 'failed', error: plainError(error) })
);
