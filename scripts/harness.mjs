// What the tests and the live benchmark share to run the built server on this machine and talk to it:
// a free port, the server's environment, a scratch PostgreSQL database and the reading of an event
// stream. Uses only Node's built-ins at import (the PostgreSQL driver is loaded when a database is
// asked for), so the benchmark can import it before it installs the dependencies.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

/** A TCP port of the loopback address that nothing listens on. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a built server on the loopback address: its port, a data folder of its own, and
 * the organiser it creates at start.
 * @param {{ port: number, dataDir: string, organiser: { email: string, password: string } }} options
 * @returns {Record<string, string | undefined>}
 */
export function serverEnvironment({ port, dataDir, organiser }) {
  return {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    KENNISDAG_DATA_DIR: dataDir,
    KENNISDAG_ORGANISER_EMAIL: organiser.email,
    KENNISDAG_ORGANISER_PASSWORD: organiser.password
  };
}

/**
 * A new database on the PostgreSQL server that `adminUrl` reaches as an administrator, named
 * `prefix` and a random part: its address, and how to drop it again.
 * @param {string} adminUrl
 * @param {string} prefix
 * @returns {Promise<{ url: string, backends(): Promise<number[]>, drop(): Promise<void> }>}
 */
export async function scratchDatabase(adminUrl, prefix) {
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    /** The server processes of the connections to it now (on this machine, /proc/<pid>). */
    backends: async () => (await admin.unsafe('select pid from pg_stat_activity where datname = $1', [name])).map((row) => Number(row.pid)),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  };
}

/**
 * Reads a Server-Sent Events stream as its chunks arrive: `onBlock` gets each block's event name and
 * data line (undefined where a block has none, as a refused stream's JSON body) and the block itself.
 * @param {(event: string | undefined, data: string | undefined, block: string) => void} onBlock
 */
export function eventStreamReader(onBlock) {
  let buffer = '';
  return {
    /** @param {string} chunk */
    push(chunk) {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        onBlock(/^event: (.*)$/m.exec(block)?.[1], /^data: (.*)$/m.exec(block)?.[1], block);
      }
    },
    /** What has arrived since the last whole block. */
    get rest() {
      return buffer;
    }
  };
}
