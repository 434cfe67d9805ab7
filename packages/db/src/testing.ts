// Throwaway databases for integration tests. Each call clones a migrated template database
// (CREATE DATABASE ... TEMPLATE), which takes a fraction of a second where replaying the
// migrations would take seconds. The template is named after a hash of the migrations, built once
// and shared by every test process (an advisory lock keeps them from building it twice).
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import type { PrismaClient } from "./generated/client.ts";
import { createPool, createPrisma } from "./client.ts";
import { applyMigrations, loadMigrations } from "./migrate.ts";
import { resolveServerUrl } from "./server.ts";
import { quoteIdent, withDatabase } from "./urls.ts";

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Closes both clients and drops the database. */
  drop(): Promise<void>;
}

/** Held while a process builds the template; other processes wait on it. */
const TEMPLATE_LOCK_KEY = 4_729_117_313;

let template: Promise<{ adminUrl: string; name: string }> | undefined;

async function migrationsHash(): Promise<string> {
  const list = await loadMigrations();
  const hash = createHash("sha256");
  for (const dir of list.migrationDirectories) {
    hash.update(dir.path).update("\0");
    hash
      .update(dir.migrationFile.content.tag === "ok" ? dir.migrationFile.content.value : "")
      .update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

async function buildTemplate(): Promise<{ adminUrl: string; name: string }> {
  const adminUrl = await resolveServerUrl();
  const name = `gridfill_test_template_${await migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    // datistemplate marks a finished template; one without it was left by an interrupted build.
    const { rows } = await admin.query<{ datistemplate: boolean }>(
      "SELECT datistemplate FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows[0]?.datistemplate) return { adminUrl, name };
    if (rows[0]) await admin.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    await applyMigrations(withDatabase(adminUrl, name));
    await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true`);
    return { adminUrl, name };
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => {});
    await admin.end();
  }
}

/**
 * A fresh, fully migrated database on the test server (TEST_DATABASE_URL, else a local server on
 * 127.0.0.1:5432, else an embedded server started for this process).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  template ??= buildTemplate().catch((error: unknown) => {
    template = undefined; // let a later call retry
    throw error;
  });
  const { adminUrl, name: templateName } = await template;
  const name = `gridfill_test_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(
          `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateName)}`,
        );
        break;
      } catch (error) {
        // 55006: the template is briefly in use (a session connecting to it); try again.
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }

  const url = withDatabase(adminUrl, name);
  // One pool, as in every process: Prisma, raw SQL and the job queue share it.
  const pool = createPool(url, { max: 8 });
  const prisma = createPrisma(pool);
  let dropped: Promise<void> | undefined;
  return {
    url,
    prisma,
    pool,
    drop: () =>
      (dropped ??= (async () => {
        await Promise.allSettled([prisma.$disconnect(), pool.end()]);
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      })()),
  };
}
