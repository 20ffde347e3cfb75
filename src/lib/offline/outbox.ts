/**
 * The phone's outbox: a vote or thesis is stored the moment the participant acts, with an
 * idempotency key made then, and sent until the server has it. The server answers a key it has seen
 * as it did the first time, so a resend after a lost answer cannot vote twice; a changed vote
 * replaces the queued one for that poll. One item the server cannot take never holds up the others.
 */

/** How an item was sent: how many times the server failed on it, and when to try it again. */
interface Attempts {
  attempts?: number;
  retryAt?: number;
}

export type OutboxItem = Attempts &
  (
    | {
        kind: 'vote';
        key: string;
        eventId: string;
        pollId: string;
        value: number | string;
        /** What the phone shows when it must say which vote failed: the option chosen, the question. */
        choice?: string;
        question?: string;
        queuedAt: number;
      }
    | { kind: 'thesis'; key: string; eventId: string; text: string; queuedAt: number }
  );

export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * `offline`: nothing reached the server, so nothing else will either; `refused`: the server will never
 * take this item (a 4xx); `failed`: the server could not take it now (a 5xx, 408 or 429).
 */
export type Delivery = { ok: true } | { ok: false; problem: 'offline' | 'refused' | 'failed'; message?: string };

/** What went wrong with one item: `final` when it was dropped, else it is tried again later. */
export interface OutboxReport {
  item: OutboxItem;
  message?: string;
  final: boolean;
}

/** Sends one item to the back end: the data port's delivery (the JSON API, or Supabase directly). */
export type Deliver = (item: OutboxItem) => Promise<Delivery>;

const storageKey = 'kennisdag.outbox';
/** The first retry after a server failure, doubled each time up to a minute. */
const firstRetryMs = 2000;
const lastRetryMs = 60_000;

/** Sends one item to the JSON API. */
export async function deliver(item: OutboxItem, fetcher: typeof fetch): Promise<Delivery> {
  const [url, body] =
    item.kind === 'vote'
      ? [`/api/v1/events/${item.eventId}/polls/${item.pollId}/votes`, { value: item.value, idempotencyKey: item.key }]
      : [`/api/v1/events/${item.eventId}/theses`, { text: item.text, idempotencyKey: item.key }];
  let response: Response;
  try {
    response = await fetcher(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, problem: 'offline' };
  }
  if (response.ok) return { ok: true };
  const message = ((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message;
  const later = response.status >= 500 || response.status === 429 || response.status === 408;
  return { ok: false, problem: later ? 'failed' : 'refused', message };
}

export class Outbox {
  private items: OutboxItem[];
  private sending = false;
  private again = false;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly send: Deliver,
    private readonly onChange: (items: readonly OutboxItem[], report?: OutboxReport) => void = () => {},
    private readonly now: () => number = Date.now
  ) {
    try {
      this.items = JSON.parse(storage.getItem(storageKey) ?? '[]');
    } catch {
      this.items = [];
    }
  }

  get pending(): readonly OutboxItem[] {
    return this.items;
  }

  private save(report?: OutboxReport) {
    this.storage.setItem(storageKey, JSON.stringify(this.items));
    this.onChange(this.items, report);
  }

  private queued(item: OutboxItem) {
    return this.items.some((i) => i.key === item.key);
  }

  /** Queues an item (a newer vote on the same poll replaces the queued one) and tries to send. */
  add(item: OutboxItem): Promise<void> {
    if (item.kind === 'vote') this.items = this.items.filter((i) => !(i.kind === 'vote' && i.pollId === item.pollId));
    this.items.push(item);
    this.save();
    return this.flush();
  }

  /**
   * Sends what is due, oldest first. Without a network it stops; an item the server refuses is
   * dropped and reported; an item the server fails on waits a while (longer each time) and the
   * others are sent meanwhile.
   */
  async flush(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      do {
        this.again = false;
        for (const item of [...this.items]) {
          if (!this.queued(item) || (item.retryAt ?? 0) > this.now()) continue;
          const result = await this.send(item);
          if (result.ok) {
            this.items = this.items.filter((i) => i.key !== item.key);
            this.save();
            continue;
          }
          if (result.problem === 'offline') return;
          // A vote replaced meanwhile by a newer one is nobody's concern any more.
          if (!this.queued(item)) continue;
          if (result.problem === 'refused') {
            this.items = this.items.filter((i) => i.key !== item.key);
            this.save({ item, message: result.message, final: true });
            continue;
          }
          const attempts = (item.attempts ?? 0) + 1;
          const retry = { ...item, attempts, retryAt: this.now() + Math.min(lastRetryMs, firstRetryMs * 2 ** (attempts - 1)) };
          this.items = this.items.map((i) => (i.key === item.key ? retry : i));
          this.save({ item: retry, message: result.message, final: false });
        }
      } while (this.again);
    } finally {
      this.sending = false;
    }
  }
}
