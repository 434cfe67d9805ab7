// The database client for the whole application: Prisma over adapter-pg (no engine binary) on a
// plain pg.Pool that the hot paths needing raw SQL (COPY, bulk upserts, partition management) and
// the job queue share, so a process holds one pool (`openRuntime` in @gridfill/core builds it).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export * from "./generated/client.ts";
export type { Pool, PoolClient, PoolConfig } from "pg";

export interface PrismaOptions {
  /** Maximum connections in the client's pool (pg's default is 10). */
  poolSize?: number;
}

/**
 * A Prisma client on `pool` (shared: `$disconnect()` leaves it open) or, given a URL, on a pool of
 * its own that `$disconnect()` closes.
 */
export function createPrisma(source: string | pg.Pool, options: PrismaOptions = {}): PrismaClient {
  const adapter =
    typeof source === "string"
      ? new PrismaPg({
          connectionString: source,
          ...(options.poolSize ? { max: options.poolSize } : {}),
        })
      : new PrismaPg(source);
  return new PrismaClient({ adapter });
}

export interface PoolOptions {
  /** Maximum connections (pg's default is 10). */
  max?: number;
}

/** A raw pg pool for `databaseUrl`. Call `end()` to close it. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(options.max ? { max: options.max } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it on the next checkout.
  pool.on("error", () => {});
  return pool;
}
