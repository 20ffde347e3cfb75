import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type postgres from 'postgres';
import { WebSocketServer, type WebSocket } from 'ws';
import { secondsLeft, type ProjectKeys } from './tokens';

/** One message of Phoenix's V2 serializer: [join_ref, ref, topic, event, payload]. */
type Frame = [string | null, string | null, string, string, Record<string, any>];

interface Channel {
  socket: WebSocket;
  /** `realtime:<topic>`, as the client joined it. */
  joinTopic: string;
  topic: string;
  joinRef: string | null;
  private: boolean;
  claims: Record<string, any>;
  token: string;
  expiry?: ReturnType<typeof setTimeout>;
}

export interface RealtimeRecord {
  at: number;
  kind: 'join' | 'refused' | 'closed' | 'token' | 'leave';
  topic: string;
  sub?: string;
  reason?: string;
}

/** Realtime re-checks a channel's token at least this often, and at its expiry (confirm_token). */
const confirmTokenMs = 5 * 60_000;

/**
 * Supabase Realtime's broadcast side as supabase-js (realtime-js, protocol 2.0.0) speaks to it:
 * the WebSocket at /realtime/v1/websocket with the API key; `phx_join` with `config.private` and the
 * access token, authorised as Realtime does it (probe rows inserted into realtime.messages, role,
 * realtime.topic and claims set, read back under row-level security, rolled back); `access_token`
 * updates that re-check the policy; each channel shut at its token's expiry with a system message and
 * `phx_close`; and what realtime.send stores delivered as binary user broadcasts, counted as Realtime
 * counts events (one per stored message and one per delivery).
 */
export class RealtimeStandIn {
  readonly log: RealtimeRecord[] = [];
  /** Events per second as Realtime counts them, by second. */
  readonly events = new Map<number, number>();
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly channels = new Set<Channel>();
  private listening?: { unlisten(): Promise<void> };
  private unreachableUntil = 0;
  private deliveries: Promise<void> = Promise.resolve();

  constructor(
    private readonly admin: postgres.Sql,
    private readonly keys: ProjectKeys
  ) {}

  /** Delivers every broadcast the database stores, in commit order. */
  async start(): Promise<void> {
    await this.admin.unsafe(`
      create or replace function public.stand_in_realtime_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('stand_in_realtime', new.id::text);
        return null;
      end $$;
      revoke all on function public.stand_in_realtime_notify() from public;
      create trigger stand_in_realtime_notify after insert on realtime.messages
        for each row when (new.extension = 'broadcast' and new.event is not null)
        execute function public.stand_in_realtime_notify();`);
    // One at a time, so clients receive broadcasts in the order the transactions committed.
    this.listening = await this.admin.listen('stand_in_realtime', (id) => {
      this.deliveries = this.deliveries.then(() => this.deliver(id)).catch(() => {});
    });
  }

  async stop(): Promise<void> {
    for (const channel of this.channels) clearTimeout(channel.expiry);
    for (const client of this.server.clients) client.terminate();
    this.server.close();
    await this.listening?.unlisten().catch(() => {});
  }

  /** A network outage: every client's WebSocket ends, and none connects again for `ms`. */
  interrupt(ms: number) {
    this.unreachableUntil = Date.now() + ms;
    for (const client of this.server.clients) client.terminate();
  }

  /** The most events in any one second, and the total. */
  eventRate(): { peak: number; total: number } {
    const counts = [...this.events.values()];
    return { peak: Math.max(0, ...counts), total: counts.reduce((a, b) => a + b, 0) };
  }

  private count(n = 1) {
    const second = Math.floor(Date.now() / 1000);
    this.events.set(second, (this.events.get(second) ?? 0) + n);
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    void this.keys.verify(url.searchParams.get('apikey') ?? '').then((apiKey) => {
      if (Date.now() < this.unreachableUntil) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      if (!apiKey || url.searchParams.get('vsn') !== '2.0.0') {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      this.server.handleUpgrade(request, socket, head, (ws) => this.connected(ws, url.searchParams.get('apikey')!));
    });
  }

  private connected(ws: WebSocket, apiKey: string) {
    ws.on('message', (data, binary) => {
      if (binary) return; // client broadcasts are not used by Kennisdag
      let frame: Frame;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      void this.receive(ws, apiKey, frame);
    });
    ws.on('close', () => {
      for (const channel of this.channels) if (channel.socket === ws) this.drop(channel);
    });
  }

  private send(ws: WebSocket, frame: Frame) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  private reply(ws: WebSocket, [joinRef, ref, topic]: Frame, status: 'ok' | 'error', response: Record<string, unknown>) {
    this.send(ws, [joinRef, ref, topic, 'phx_reply', { status, response }]);
  }

  private async receive(ws: WebSocket, apiKey: string, frame: Frame) {
    const [, , topic, event, payload] = frame;
    if (topic === 'phoenix' && event === 'heartbeat') return this.reply(ws, frame, 'ok', {});
    const channel = [...this.channels].find((c) => c.socket === ws && c.joinTopic === topic);
    if (event === 'phx_join') return this.join(ws, frame, payload?.access_token ?? apiKey);
    if (!channel) return;
    if (event === 'phx_leave') {
      this.reply(ws, frame, 'ok', {});
      this.record('leave', channel);
      return this.drop(channel);
    }
    if (event === 'access_token' && typeof payload?.access_token === 'string' && payload.access_token !== channel.token) {
      const claims = await this.keys.verify(payload.access_token, { allowExpired: true });
      if (!claims) return this.shutdown(channel, 'The token provided is not a valid JWT');
      if (secondsLeft(claims) <= 0) return this.shutdown(channel, `Token has expired ${Math.round(-secondsLeft(claims))} seconds ago`);
      if (!(await this.mayRead(channel.topic, claims))) {
        return this.shutdown(channel, `You no longer have permission to read from this Channel topic: ${channel.topic}`);
      }
      Object.assign(channel, { token: payload.access_token, claims });
      this.armExpiry(channel);
      this.record('token', channel);
    }
  }

  private async join(ws: WebSocket, frame: Frame, token: string) {
    const [joinRef, , joinTopic, , payload] = frame;
    const topic = joinTopic.replace(/^realtime:/, '');
    let claims: Record<string, any> | null = null;
    const refuse = (reason: string) => {
      this.log.push({ at: Date.now(), kind: 'refused', topic, reason, ...(typeof claims?.sub === 'string' ? { sub: claims.sub } : {}) });
      this.reply(ws, frame, 'error', { reason });
    };
    claims = await this.keys.verify(token, { allowExpired: true });
    if (!claims) return refuse('MalformedJWT: The token provided is not a valid JWT');
    if (secondsLeft(claims) <= 0) return refuse(`InvalidJWTToken: Token has expired ${Math.round(-secondsLeft(claims))} seconds ago`);
    if (!payload?.config?.private) return refuse('PrivateOnly: This project only allows private channels');
    if (!(await this.mayRead(topic, claims))) return refuse(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
    const existing = [...this.channels].find((c) => c.socket === ws && c.joinTopic === joinTopic);
    if (existing) this.drop(existing);
    const channel: Channel = { socket: ws, joinTopic, topic, joinRef, private: true, claims, token };
    this.channels.add(channel);
    this.armExpiry(channel);
    this.record('join', channel);
    this.reply(ws, frame, 'ok', { postgres_changes: [] });
  }

  /** Realtime's read check: probe rows, the joiner's role, topic and claims, read back, rolled back. */
  private async mayRead(topic: string, claims: Record<string, any>): Promise<boolean> {
    const role = typeof claims.role === 'string' ? claims.role : 'anon';
    const probe = randomUUID();
    const rollback = new Error('rollback');
    let seen = false;
    await this.admin
      .begin(async (tx) => {
        await tx`insert into realtime.messages (id, topic, extension) values (${probe}, ${topic}, 'broadcast')`;
        await tx`select set_config('role', ${role}, true), set_config('realtime.topic', ${topic}, true),
                        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                        set_config('request.jwt.claim.sub', ${String(claims.sub ?? '')}, true),
                        set_config('request.jwt.claim.role', ${role}, true), set_config('request.headers', '{}', true)`;
        seen = (await tx`select id from realtime.messages where id = ${probe}`).length === 1;
        throw rollback;
      })
      .catch((error) => {
        if (error !== rollback) throw error;
      });
    return seen;
  }

  private armExpiry(channel: Channel) {
    clearTimeout(channel.expiry);
    const left = secondsLeft(channel.claims) * 1000;
    channel.expiry = setTimeout(() => {
      if (secondsLeft(channel.claims) <= 0) this.shutdown(channel, `Token has expired ${Math.round(-secondsLeft(channel.claims))} seconds ago`);
      else this.armExpiry(channel);
    }, Math.max(0, Math.min(confirmTokenMs, left)) + 5);
  }

  /** What Realtime does when it stops a channel: a system message, then phx_close. */
  private shutdown(channel: Channel, message: string) {
    this.send(channel.socket, [channel.joinRef, null, channel.joinTopic, 'system', { extension: 'system', status: 'error', message, channel: channel.topic }]);
    this.send(channel.socket, [channel.joinRef, channel.joinRef, channel.joinTopic, 'phx_close', {}]);
    this.log.push({ at: Date.now(), kind: 'closed', topic: channel.topic, sub: channel.claims.sub, reason: message });
    this.drop(channel);
  }

  private drop(channel: Channel) {
    clearTimeout(channel.expiry);
    this.channels.delete(channel);
  }

  private record(kind: RealtimeRecord['kind'], channel: Channel) {
    this.log.push({ at: Date.now(), kind, topic: channel.topic, sub: channel.claims.sub });
  }

  private async deliver(id: string) {
    const [row] = await this.admin`select topic, event, payload, private from realtime.messages where id = ${id}`;
    if (!row) return;
    this.count();
    const metadata = Buffer.from(JSON.stringify({ id }));
    const body = Buffer.from(JSON.stringify(row.payload));
    for (const channel of this.channels) {
      if (channel.topic !== row.topic || channel.private !== row.private || channel.socket.readyState !== channel.socket.OPEN) continue;
      const topic = Buffer.from(channel.joinTopic);
      const event = Buffer.from(row.event);
      // Realtime's V2 serializer, user broadcast: kind 4, sizes, JSON encoding, then the parts.
      const header = Buffer.from([4, topic.length, event.length, metadata.length, 1]);
      channel.socket.send(Buffer.concat([header, topic, event, metadata, body]));
      this.count();
    }
  }
}
