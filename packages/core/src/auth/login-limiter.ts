// Slows password guessing: after too many failures for one email (or many more from one address)
// within the window, further attempts are refused without checking the password. In memory, per
// API process.
export interface LoginLimiterOptions {
  perEmail?: number;
  perAddress?: number;
  windowMs?: number;
}

export interface LoginAttempt {
  email: string;
  address?: string | undefined;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perEmail: number;
  private readonly perAddress: number;
  private readonly windowMs: number;

  constructor(options: LoginLimiterOptions = {}) {
    this.perEmail = options.perEmail ?? 10;
    this.perAddress = options.perAddress ?? 100;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  private keys(attempt: LoginAttempt): [string, number][] {
    const keys: [string, number][] = [[`email:${attempt.email}`, this.perEmail]];
    if (attempt.address) keys.push([`addr:${attempt.address}`, this.perAddress]);
    return keys;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  blocked(attempt: LoginAttempt, now = Date.now()): boolean {
    return this.keys(attempt).some(([key, max]) => this.recent(key, now).length >= max);
  }

  fail(attempt: LoginAttempt, now = Date.now()): void {
    for (const [key] of this.keys(attempt)) this.failures.set(key, [...this.recent(key, now), now]);
    // Bound memory under a flood of distinct keys.
    if (this.failures.size > 50_000) this.failures.clear();
  }

  succeed(attempt: LoginAttempt): void {
    this.failures.delete(`email:${attempt.email}`);
  }
}
