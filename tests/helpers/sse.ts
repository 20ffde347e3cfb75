import http from 'node:http';
import { eventStreamReader } from '../../scripts/harness.mjs';

export interface SseMessage {
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  /** The JSON body of a refused stream. */
  body?: any;
  messages: SseMessage[];
  /** Bytes received so far. */
  received: number;
  ended: boolean;
  /** Resolves with the first message (from the start) that matches, or rejects after `timeout` ms. */
  next(match: (m: SseMessage) => boolean, timeout?: number): Promise<SseMessage>;
  /** Resolves once the server has ended the stream. */
  closed(timeout?: number): Promise<void>;
  /** Stops reading: the server's writes pile up in the socket, as with a phone that stalls. */
  stall(): void;
  resume(): void;
  close(): void;
}

/** Opens an event's Server-Sent Event stream as a client that parses every message. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const waiters = new Set<() => void>();
      const notify = () => waiters.forEach((w) => w());
      const stream: SseStream = {
        status: response.statusCode ?? 0,
        messages: [],
        received: 0,
        ended: false,
        next(match, timeout = 10_000) {
          return new Promise((done, fail) => {
            const check = () => {
              const found = stream.messages.find(match);
              if (found) {
                waiters.delete(check);
                clearTimeout(timer);
                done(found);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`No matching message within ${timeout} ms; got ${stream.messages.map((m) => m.event).join(', ')}`));
            }, timeout);
            waiters.add(check);
            check();
          });
        },
        closed(timeout = 10_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (stream.ended) {
                waiters.delete(check);
                clearTimeout(timer);
                done();
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`The stream was still open after ${timeout} ms`));
            }, timeout);
            waiters.add(check);
            check();
          });
        },
        stall: () => response.pause(),
        resume: () => response.resume(),
        close: () => request.destroy()
      };
      const reader = eventStreamReader((event, data, block) => {
        if (event && data !== undefined) stream.messages.push({ event, data: JSON.parse(data) });
        else if (stream.status !== 200) stream.body = JSON.parse(block);
      });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        stream.received += Buffer.byteLength(chunk);
        reader.push(chunk);
        notify();
      });
      const ended = () => {
        if (stream.status !== 200 && reader.rest.trim()) stream.body = JSON.parse(reader.rest);
        stream.ended = true;
        notify();
      };
      response.on('end', ended);
      response.on('close', ended);
      resolve(stream);
    });
    request.on('error', reject);
  });
}
