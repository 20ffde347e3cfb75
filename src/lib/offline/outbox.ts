/**
 * The phone's outbox: a vote or thesis is stored the moment the participant acts, with an
 * idempotency key made then, and sent until the server has it. The server counts a key once, so a
 * resend after a lost answer cannot vote twice; a changed vote replaces the queued one for that poll.
 */

export type OutboxItem =
  | { kind: 'vote'; key: string; eventId: string; pollId: string; value: number | string; queuedAt: number }
  | { kind: 'thesis'; key: string; eventId: string; text: string; queuedAt: number };

export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type Delivery = { ok: true } | { ok: false; retry: boolean; message: string };

/** Sends one item to the back end: the data port's delivery (the JSON API, or Supabase directly). */
export type Deliver = (item: OutboxItem) => Promise<Delivery>;

const storageKey = 'kennisdag.outbox';

/** Sends one item to the JSON API; a network error or a 5xx is worth retrying, a 4xx is not. */
export async function deliver(item: OutboxItem, fetcher: typeof fetch): Promise<Delivery> {
  const [url, body] =
    item.kind === 'vote'
      ? [`/api/v1/events/${item.eventId}/polls/${item.pollId}/votes`, { value: item.value, idempotencyKey: item.key }]
      : [`/api/v1/events/${item.eventId}/theses`, { text: item.text, idempotencyKey: item.key }];
  let response: Response;
  try {
    response = await fetcher(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, retry: true, message: 'offline' };
  }
  if (response.ok) return { ok: true };
  const message = ((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`;
  return { ok: false, retry: response.status >= 500 || response.status === 429 || response.status === 408, message };
}

export class Outbox {
  private items: OutboxItem[];
  private sending = false;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly send: Deliver,
    private readonly onChange: (items: readonly OutboxItem[], failure?: { item: OutboxItem; message: string }) => void = () => {}
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

  private save(failure?: { item: OutboxItem; message: string }) {
    this.storage.setItem(storageKey, JSON.stringify(this.items));
    this.onChange(this.items, failure);
  }

  /** Queues an item (a newer vote on the same poll replaces the queued one) and tries to send. */
  add(item: OutboxItem): Promise<void> {
    if (item.kind === 'vote') this.items = this.items.filter((i) => !(i.kind === 'vote' && i.pollId === item.pollId));
    this.items.push(item);
    this.save();
    return this.flush();
  }

  /** Sends what is queued, oldest first; stops at the first item that must wait for the network. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.items.length) {
        const item = this.items[0];
        const result = await this.send(item);
        if (!result.ok && result.retry) return;
        this.items = this.items.filter((i) => i.key !== item.key);
        this.save(result.ok ? undefined : { item, message: result.message });
      }
    } finally {
      this.sending = false;
    }
  }
}
