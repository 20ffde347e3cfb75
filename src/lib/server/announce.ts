import { networkInterfaces } from 'node:os';
import type { Runtime } from './runtime';

/** The machine's address on the local network, for phones in the same room. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) {
      if (net.family === 'IPv4' && !net.internal) return net.address;
    }
  }
  return undefined;
}

/** The address the server listens on (server.js reads the same variable). */
const listenHost = () => process.env.HOST ?? '0.0.0.0';
/** Whether the server listens on every interface, so that others on the network reach it. */
const listensOnNetwork = () => ['0.0.0.0', '::'].includes(listenHost());

/**
 * Where phones reach this server: the configured public URL; else, asked on this computer, its LAN
 * address when the server listens on the network; else the address it was asked on.
 */
export function publicOrigin(runtime: Runtime, requestUrl: URL): string {
  if (runtime.config.publicUrl) return runtime.config.publicUrl;
  if (listensOnNetwork() && ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(requestUrl.hostname)) {
    const lan = lanAddress();
    if (lan) return `${requestUrl.protocol}//${lan}${requestUrl.port ? ':' + requestUrl.port : ''}`;
  }
  return requestUrl.origin;
}

export function announce(runtime: Runtime) {
  const port = process.env.PORT ?? '3000';
  const host = listenHost();
  const local = `http://${listensOnNetwork() ? 'localhost' : host}:${port}`;
  const lan = lanAddress();
  const where = { pglite: `embedded database in ${'dataDir' in runtime.config.backend ? runtime.config.backend.dataDir : ''}`, postgres: 'PostgreSQL (DATABASE_URL)', supabase: 'Supabase' }[runtime.db.backend];
  const lines = [`Kennisdag is running on ${where}.`, `  On this computer:  ${local}`];
  if (lan && listensOnNetwork()) lines.push(`  On the network:    http://${lan}:${port}   (phones in the room use this)`);
  if (runtime.setupCode) lines.push(`  First start: open ${local}/setup and enter the one-time code ${runtime.setupCode} to create the organiser account.`);
  console.log(lines.join('\n'));
}
