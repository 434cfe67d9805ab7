// Dead letters are for diagnosing a device, not a write path anyone can flood: each publisher (the
// device its topic names) gets a token bucket, and rejected messages past it are counted and
// dropped instead of written.

export interface DeadLetterRate {
  /** Dead letters a publisher may write in a burst; default 20. */
  burst: number;
  /** Tokens regained per second; default 1. */
  perSecond: number;
}

export const DEFAULT_DEAD_LETTER_RATE: DeadLetterRate = { burst: 20, perSecond: 1 };

/** Buckets kept at most; the least recently used goes first (topics are chosen by publishers). */
const MAX_PUBLISHERS = 10_000;

export class DeadLetterLimit {
  readonly #rate: DeadLetterRate;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(rate: DeadLetterRate = DEFAULT_DEAD_LETTER_RATE) {
    this.#rate = rate;
  }

  /** Takes one token from `publisher`'s bucket; false when it is empty. */
  take(publisher: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(publisher) ?? { tokens: this.#rate.burst, at: now };
    this.#buckets.delete(publisher); // re-inserted last: Map order is the LRU order
    bucket.tokens = Math.min(
      this.#rate.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.#rate.perSecond,
    );
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(publisher, bucket);
    if (this.#buckets.size > MAX_PUBLISHERS)
      this.#buckets.delete(this.#buckets.keys().next().value!);
    return allowed;
  }
}
