// The production entry: SvelteKit's Node handler behind a plain HTTP server.
// A knowledge day runs on a laptop in the room, over plain http on the local network: each request
// says which protocol it came in on, so SvelteKit's origin check accepts the room's own form posts
// (adapter-node would otherwise assume https). Behind a TLS proxy, its X-Forwarded-Proto wins.
import { createServer } from 'node:http';

process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
const { handler } = await import('./build/handler.js');
// Set by the app as it starts (where this server checks sessions itself): answers a phone's vote on
// Node's request and response, and hands every other request on to SvelteKit.
const voteRoute = globalThis[Symbol.for('kennisdag.voteRoute')];

const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);
// How long a client may take to send a whole request (headers and body, e.g. a 10 MB archive on
// venue wifi). Responses are not limited: a phone's live stream stays open for the whole day.
const requestSeconds = Number(process.env.KENNISDAG_REQUEST_TIMEOUT || 300);
if (!(requestSeconds > 0)) {
  console.error(`Kennisdag cannot start: KENNISDAG_REQUEST_TIMEOUT must be a number of seconds above 0 (got "${process.env.KENNISDAG_REQUEST_TIMEOUT}").`);
  process.exit(1);
}
const requestTimeout = 1000 * requestSeconds;
const headersTimeout = Math.min(60_000, requestTimeout);

const server = createServer(
  // The timeouts are enforced when connections are checked; a tenth of the shortest one is precise enough.
  { requestTimeout, headersTimeout, connectionsCheckingInterval: Math.max(250, Math.min(30_000, headersTimeout / 10)) },
  (req, res) => {
    req.headers['x-forwarded-proto'] ??= 'http';
    // An answer given before the body was read (401, 413, 400) leaves the rest of the body in the
    // socket, and the client waits to send it before it reads the answer: discard what is left, so
    // the keep-alive connection serves the next request instead of hanging.
    res.once('finish', () => {
      if (req.complete || req.destroyed) return;
      req.removeAllListeners('data');
      req.on('data', () => {});
      req.resume();
    });
    const toSvelteKit = () =>
      handler(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    if (voteRoute) voteRoute(req, res, toSvelteKit);
    else toSvelteKit();
  }
);
server.keepAliveTimeout = 65_000;
server.maxConnections = 20_000;

// A hall of phones opens its connections at once: a listen queue for thousands (the kernel caps it at
// net.core.somaxconn), where Node's default of 511 would drop the rest to SYN retries.
server.listen({ host, port, backlog: 4096 }, () => console.log(`Listening on http://${host}:${server.address().port}`));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // Stop accepting, end every connection (live streams never end by themselves), then close the
  // database so the embedded one is written out cleanly, then exit.
  setTimeout(() => process.exit(1), 10_000).unref();
  await new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });
  const shutdown = globalThis[Symbol.for('kennisdag.shutdown')];
  try {
    if (typeof shutdown === 'function') await shutdown();
  } catch (error) {
    console.error(`Closing the database failed: ${error?.message ?? error}`);
    process.exit(1);
  }
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
