import { describe, expect, it } from 'vitest';
import type { EventState } from '../../types';
import type { Broadcast, Database } from '../db/types';
import { LiveHub } from './hub';
import { LiveStream } from './stream';

const eventId = '11111111-1111-4111-8111-111111111111';
const initial = { event: { id: eventId }, me: { memberId: 'm' } } as unknown as EventState;
const quietDatabase: Database = { backend: 'pglite', rpc: async () => null as never, onBroadcast: () => () => {}, close: async () => {} };

/** Reads what a stream has written so far, without waiting for more (a read left waiting is kept for the next call). */
function availableReader(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let waiting: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  return async (): Promise<{ events: { event: string; data: unknown }[]; done: boolean }> => {
    let text = '';
    let done = false;
    for (;;) {
      waiting ??= reader.read();
      const next = await Promise.race([waiting, new Promise<null>((r) => setTimeout(() => r(null), 20))]);
      if (!next) break;
      waiting = undefined;
      if (next.done) {
        done = true;
        break;
      }
      text += decoder.decode(next.value);
    }
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('event: '))
      .map((block) => ({ event: /^event: (.*)$/m.exec(block)![1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) }));
    return { events, done };
  };
}

function openStream(hub = new LiveHub(quietDatabase), access: 'member' | 'staff' = 'member') {
  const stream = new LiveStream(eventId, access, 'user', 'page', async () => access);
  stream.join(hub);
  const reader = stream.response(initial).body!.getReader();
  return { stream, hub, reader, readAvailable: availableReader(reader) };
}

describe('a live stream', () => {
  it('keeps only the latest view and tally for a screen that does not read, and sends them when it reads again', async () => {
    const { stream, readAvailable } = openStream();
    for (let i = 0; i < 10_000; i++) {
      stream.offer({ event: 'view', json: JSON.stringify({ n: i, padding: 'x'.repeat(1000) }) });
      stream.offer({ event: 'tally', pollId: 'p1', json: JSON.stringify({ pollId: 'p1', total: i }) });
      stream.offer({ event: 'tally', pollId: 'p2', json: JSON.stringify({ pollId: 'p2', total: i }) });
    }
    const { events } = await readAvailable();
    expect(events.map((e) => e.event)).toEqual(['state', 'view', 'tally', 'tally']);
    expect(events.slice(1).map((e) => (e.data as { n?: number; total?: number }).n ?? (e.data as { total: number }).total)).toEqual([9999, 9999, 9999]);

    // A reader that keeps up gets each message as it comes.
    stream.offer({ event: 'view', json: '{"n":1}' });
    expect((await readAvailable()).events).toEqual([{ event: 'view', data: { n: 1 } }]);
    stream.offer({ event: 'view', json: '{"n":2}' });
    expect((await readAvailable()).events).toEqual([{ event: 'view', data: { n: 2 } }]);
  });

  it('keeps the staff’s change notices in order, and closes a screen that owes too many', async () => {
    const { stream, reader, hub, readAvailable } = openStream(undefined, 'staff');
    for (let i = 0; i < 3; i++) stream.offer({ event: 'change', json: JSON.stringify({ i }) });
    stream.offer({ event: 'view', json: '{}' });
    expect((await readAvailable()).events.map((e) => e.data)).toEqual([initial, { i: 0 }, { i: 1 }, { i: 2 }, {}]);

    for (let i = 0; i < 501; i++) stream.offer({ event: 'change', json: JSON.stringify({ i }) });
    await expect(reader.read()).rejects.toThrow(/fell behind/);
    expect(hub.clientCount).toBe(0);
  });

  it('ends when the hub closes it, also before its response was read', async () => {
    const hub = new LiveHub(quietDatabase);
    const first = openStream(hub);
    first.stream.close();
    expect(await first.readAvailable()).toMatchObject({ done: true, events: [{ event: 'state' }] });
    expect(hub.clientCount).toBe(0);
  });

  it('drops the hub’s messages for itself once the screen has gone', async () => {
    let listener: (m: Broadcast) => void = () => {};
    const db: Database = { ...quietDatabase, onBroadcast: (l) => ((listener = l), () => {}) };
    const { stream, reader, hub } = openStream(new LiveHub(db), 'staff');
    await reader.cancel();
    expect(hub.clientCount).toBe(0);
    listener({ topic: `event:${eventId}:staff`, event: 'change', payload: { table: 'notes' }, private: true });
    stream.offer({ event: 'change', json: '{}' });
    expect(hub.clientCount).toBe(0);
  });
});
