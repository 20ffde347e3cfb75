// The production entry: SvelteKit's Node handler behind a plain HTTP server.
// A knowledge day runs on a laptop in the room, over plain http on the local network: each request
// says which protocol it came in on, so SvelteKit's origin check accepts the room's own form posts
// (adapter-node would otherwise assume https). Behind a TLS proxy, its X-Forwarded-Proto wins.
import { createServer } from 'node:http';

process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
const { handler } = await import('./build/handler.js');

const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);

const server = createServer((req, res) => {
  req.headers['x-forwarded-proto'] ??= 'http';
  handler(req, res, () => {
    res.statusCode = 404;
    res.end('Not found');
  });
});
// Phones hold a live stream each: no idle timeout on the server side, and room for a hall.
server.keepAliveTimeout = 65_000;
server.requestTimeout = 0;
server.headersTimeout = 66_000;
server.maxConnections = 20_000;

server.listen({ host, port }, () => console.log(`Listening on http://${host}:${server.address().port}`));

function stop() {
  server.close(() => process.exit(0));
  // Live streams never end by themselves.
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
