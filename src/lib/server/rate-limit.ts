import { AppError } from '../errors';

/**
 * Fixed-window counters in memory. A whole room joins from one venue NAT address, so public
 * endpoints count per device where the client names one, and per address only as a coarse cap.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number
  ) {}

  /** Counts one request for `key`; throws 429 once the window's limit is used up. */
  hit(key: string): void {
    const now = Date.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    window.count += 1;
    if (window.count > this.limit) {
      const seconds = Math.ceil((window.start + this.windowMs - now) / 1000);
      throw new AppError(429, 'rate_limited', `Too many attempts; try again in ${seconds} seconds.`);
    }
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

export const limits = {
  /** Sign-in attempts per e-mail address. */
  signIn: new RateLimiter(10, 60_000),
  /** Joins and code look-ups per device. */
  joinPerDevice: new RateLimiter(20, 60_000),
  /** Joins and code look-ups per address: a hall of 2,000 behind one NAT stays under it. */
  joinPerAddress: new RateLimiter(6_000, 60_000),
  /** Theses per device. */
  submitPerDevice: new RateLimiter(30, 60_000)
};
