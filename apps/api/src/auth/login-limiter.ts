// Slows password guessing: after too many failures for one email (or from one address) within the
// window, further attempts are refused without checking the password. In-memory, per API process.
export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(options: LoginLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** True when any of the keys has used up its failures. */
  blocked(keys: string[], now = Date.now()): boolean {
    return keys.some((key) => this.recent(key, now).length >= this.maxFailures);
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    // Bound memory under a flood of distinct keys.
    if (this.failures.size > 50_000) this.failures.clear();
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}
