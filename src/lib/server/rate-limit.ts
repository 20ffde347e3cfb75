import type { RequestEvent } from '@sveltejs/kit';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { userError } from '../errors';

/**
 * Rate limits with rate-limiter-flexible. A whole room joins from one venue NAT address, so every
 * public limit counts per address (generous: a hall of 2,000 gets in within two minutes) and per
 * address and device together (tight: one phone). The device id is the client's to choose, so it
 * only ever narrows a count within an address; it never opens a new one. Which address a request
 * came from is adapter-node's `getClientAddress()`: the socket's, or a proxy header when
 * ADDRESS_HEADER/XFF_DEPTH say to trust one.
 */

export interface LimitSettings {
  /** Joins per address in two minutes. */
  joinsPerAddress: number;
  /** Code look-ups (the start page's form, the join page) per address in two minutes. */
  lookupsPerAddress: number;
}

export const defaultLimits: LimitSettings = { joinsPerAddress: 2_500, lookupsPerAddress: 5_000 };

/** Where counters live: in this process, or in PostgreSQL, shared by every app server on it. */
export type LimitStore =
  | { kind: 'memory' }
  | { kind: 'postgres'; client: { query(q: { text: string; values?: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> } };

/** Who is asking, as far as limits can tell. */
export interface Client {
  address: string;
  device: string;
}

/** The address adapter-node reports; a proxy header that should be there and is not is a 400. */
export function clientOf(event: RequestEvent): Client {
  let address: string;
  try {
    address = event.getClientAddress();
  } catch {
    throw userError(400, 'no_client_address', 'edge.proxy');
  }
  return { address, device: event.locals.deviceId };
}

type Key = 'edge.rateLimited' | 'edge.signInLimited';

class Limit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly message: Key = 'edge.rateLimited'
  ) {}

  private refusal(res: RateLimiterRes) {
    return userError(429, 'rate_limited', this.message, { seconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });
  }

  /** Counts one request for `key`; a 429 once the window's points are used up. */
  async hit(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw this.refusal(error);
      throw error;
    }
  }

  /** A 429 while `key` has used up its points, without counting. */
  async check(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.consumedPoints >= this.limiter.points) throw this.refusal(res);
  }

  async forget(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

export class RateLimits {
  private readonly joinPerAddress: Limit;
  private readonly joinPerDevice: Limit;
  private readonly lookupPerAddress: Limit;
  private readonly lookupPerDevice: Limit;
  private readonly submitPerAccount: Limit;
  private readonly signInFailures: Limit;
  private readonly signInFailuresPerAddress: Limit;

  constructor(store: LimitStore, settings: LimitSettings = defaultLimits) {
    const make = (keyPrefix: string, points: number, duration: number) => {
      const options: IRateLimiterOptions = { keyPrefix, points, duration };
      if (store.kind === 'memory') return new RateLimiterMemory(options);
      return new RateLimiterPostgres({
        ...options,
        storeClient: store.client,
        storeType: 'client',
        schemaName: 'server',
        tableName: 'rate_limits',
        tableCreated: true,
        // A database hiccup must not lock a room out: this process counts alone until it is back.
        insuranceLimiter: new RateLimiterMemory(options)
      });
    };
    this.joinPerAddress = new Limit(make('join-address', settings.joinsPerAddress, 120));
    this.joinPerDevice = new Limit(make('join-device', 20, 60));
    this.lookupPerAddress = new Limit(make('lookup-address', settings.lookupsPerAddress, 120));
    this.lookupPerDevice = new Limit(make('lookup-device', 20, 60));
    this.submitPerAccount = new Limit(make('submit', 30, 60));
    this.signInFailures = new Limit(make('sign-in', 10, 15 * 60), 'edge.signInLimited');
    this.signInFailuresPerAddress = new Limit(make('sign-in-address', 100, 15 * 60));
  }

  /** A join code looked up (the start page, the join page, the API). */
  async lookup(client: Client): Promise<void> {
    await this.lookupPerAddress.hit(client.address);
    await this.lookupPerDevice.hit(`${client.address}|${client.device}`);
  }

  /** A phone joining an event. */
  async join(client: Client): Promise<void> {
    await this.joinPerAddress.hit(client.address);
    await this.joinPerDevice.hit(`${client.address}|${client.device}`);
  }

  /** A thesis submitted, per account: a new account means joining again, which is limited. */
  async submit(account: string): Promise<void> {
    await this.submitPerAccount.hit(account);
  }

  /**
   * A sign-in attempt (or the setup code): refused while this account has had too many failures from
   * this address, or this address too many failures overall; only failures count, so nobody can
   * lock the organiser out from elsewhere, and a success forgets the failures.
   */
  async signIn<T>(client: Client, account: string, attempt: () => Promise<T | null>): Promise<T | null> {
    const key = `${account.toLowerCase()}|${client.address}`;
    await this.signInFailures.check(key);
    await this.signInFailuresPerAddress.check(client.address);
    const result = await attempt();
    if (result === null) {
      await this.signInFailures.hit(key).catch(() => {});
      await this.signInFailuresPerAddress.hit(client.address).catch(() => {});
    } else {
      await this.signInFailures.forget(key);
    }
    return result;
  }
}
