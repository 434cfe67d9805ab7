// What every gridfill process opens before it does anything: one database pool (shared by Prisma,
// raw SQL and the job queue), the object store and a logger. The CLI's start and worker commands,
// the test harness and the benchmarks all open it here, so there is one way to do it.
import type { Config } from "@gridfill/config";
import { createPool, createPrisma, type Pool, type PrismaClient } from "@gridfill/db";
import { Storage, storageConfig, type StorageConfig } from "@gridfill/storage";
import { createLogger, type Logger } from "./log.ts";

export interface Runtime {
  config: Config;
  databaseUrl: string;
  pool: Pool;
  prisma: PrismaClient;
  storage: Storage;
  log: Logger;
  /** Closes the Prisma client and the pool (not the storage: it holds no connection). */
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** The database, when not the configured one (the embedded server's). */
  databaseUrl?: string;
  /** The store, when not the configured one (the embedded server's). */
  storage?: StorageConfig;
  /** Connections in the pool (pg's default is 10). */
  poolSize?: number;
  log?: Logger;
}

export async function openRuntime(
  config: Config,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const storage = new Storage(options.storage ?? storageConfig(config.storage));
  await storage.ensureBuckets();
  const pool = createPool(databaseUrl, options.poolSize ? { max: options.poolSize } : {});
  const prisma = createPrisma(pool);
  return {
    config,
    databaseUrl,
    pool,
    prisma,
    storage,
    log: options.log ?? createLogger(config.logLevel),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
