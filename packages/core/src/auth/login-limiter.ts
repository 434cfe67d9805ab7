// Slows password guessing: each sign-in attempt is counted against its account and its client
// address before the password is checked, and an attempt past either limit within the window is
// refused without checking anything. The counts live in PostgreSQL ("LoginThrottle") and each
// attempt takes its place with one atomic upsert, so parallel attempts and several API processes
// cannot get more checks than the limit between them.
import type { PrismaClient } from "@gridfill/db";
import { DomainError } from "../errors.ts";
import { sqlOf, type Db } from "../db.ts";

export interface LoginLimiterOptions {
  /** Attempts one account may have within the window (a correct password starts it over). */
  perAccount?: number;
  /** Failed attempts one client address may have within the window. */
  perAddress?: number;
  windowMs?: number;
}

export interface LoginAttempt {
  email: string;
  address?: string | undefined;
}

/** Keys stay short whatever a client sends as an email. */
const MAX_KEY_LENGTH = 330;

const NOW = `timezone('UTC', now())`;

export class LoginLimiter {
  private readonly perAccount: number;
  private readonly perAddress: number;
  private readonly windowSeconds: number;

  constructor(
    private readonly db: Db | PrismaClient,
    options: LoginLimiterOptions = {},
  ) {
    this.perAccount = options.perAccount ?? 10;
    this.perAddress = options.perAddress ?? 100;
    this.windowSeconds = (options.windowMs ?? 15 * 60_000) / 1000;
  }

  private keys(attempt: LoginAttempt): { account: string; address: string | undefined } {
    return {
      account: `account:${attempt.email}`.slice(0, MAX_KEY_LENGTH),
      address: attempt.address ? `address:${attempt.address}`.slice(0, MAX_KEY_LENGTH) : undefined,
    };
  }

  /** Counts the attempt; RATE_LIMITED when its account or address has used up the window. */
  async admit(attempt: LoginAttempt): Promise<void> {
    const { account, address } = this.keys(attempt);
    // Sorted, so concurrent upserts of the same keys lock them in the same order.
    const keys = (address ? [account, address] : [account]).sort();
    const expired = `t."windowStart" <= ${NOW} - make_interval(secs => $2::float8)`;
    const rows = await sqlOf(this.db)<{ key: string; attempts: number }>(
      `INSERT INTO "LoginThrottle" AS t (key, attempts, "windowStart")
       SELECT key, 1, ${NOW} FROM unnest($1::text[]) AS key
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN ${expired} THEN 1 ELSE t.attempts + 1 END,
         "windowStart" = CASE WHEN ${expired} THEN ${NOW} ELSE t."windowStart" END
       RETURNING key, attempts`,
      [keys, this.windowSeconds],
    );
    const over = rows.some(
      (row) => row.attempts > (row.key === account ? this.perAccount : this.perAddress),
    );
    if (over) throw new DomainError("RATE_LIMITED", "too many failed sign-ins; try again later");
  }

  /** A correct password: the account starts over, and the attempt was no failure of the address. */
  async succeed(attempt: LoginAttempt): Promise<void> {
    const { account, address } = this.keys(attempt);
    await sqlOf(this.db)(
      `WITH cleared AS (DELETE FROM "LoginThrottle" WHERE key = $1)
       UPDATE "LoginThrottle" SET attempts = GREATEST(attempts - 1, 0) WHERE key = $2`,
      [account, address ?? null],
    );
  }

  /** Drops counts whose window has passed; returns how many. */
  async prune(): Promise<number> {
    const rows = await sqlOf(this.db)<{ key: string }>(
      `DELETE FROM "LoginThrottle" WHERE "windowStart" <= ${NOW} - make_interval(secs => $1::float8) RETURNING key`,
      [this.windowSeconds],
    );
    return rows.length;
  }
}
