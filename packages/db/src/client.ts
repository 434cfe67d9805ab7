// The database client for the whole application: Prisma over adapter-pg (no engine binary), and a
// plain pg.Pool for the few hot paths that need raw SQL (COPY, bulk upserts, partition management).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export * from "./generated/client.ts";
export type { Pool, PoolClient, PoolConfig } from "pg";

export interface PrismaOptions {
  /** Maximum connections in the client's pool (pg's default is 10). */
  poolSize?: number;
}

/** A Prisma client for `databaseUrl`. Call `$disconnect()` to close its pool. */
export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    ...(options.poolSize ? { max: options.poolSize } : {}),
  });
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
