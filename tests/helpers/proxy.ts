import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  at: number;
  method: string;
  path: string;
}

/**
 * A pass-through proxy in front of the app server that notes every request the browsers make, so a
 * test can say what the app server was (not) asked.
 */
export async function countingProxy(target: string): Promise<{ url: string; requests: SeenRequest[]; stop(): Promise<void> }> {
  const requests: SeenRequest[] = [];
  const to = new URL(target);
  const server = createServer((incoming, outgoing) => {
    requests.push({ at: Date.now(), method: incoming.method ?? 'GET', path: incoming.url ?? '/' });
    const upstream = forward(
      // The Host header stays the one the browser sent: the app checks form posts against its origin.
      { host: to.hostname, port: to.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      }
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
}
