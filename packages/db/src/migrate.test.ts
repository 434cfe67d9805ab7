import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import pg from "pg";
import { applyMigrations } from "./migrate.ts";
import { defaultMigrationsDir } from "./paths.ts";
import { resolveServerUrl } from "./server.ts";
import { quoteIdent, withDatabase } from "./urls.ts";

async function withEmptyDatabase(fn: (url: string) => Promise<void>) {
  const admin = await resolveServerUrl();
  const name = `gridfill_migrate_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  try {
    await fn(withDatabase(admin, name));
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await client.end();
  }
}

const folders = readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test("migrations apply to an empty database, then re-apply as a no-op", async () => {
  await withEmptyDatabase(async (url) => {
    const first = await applyMigrations(url);
    assert.deepEqual(first.applied, folders);
    const second = await applyMigrations(url);
    assert.deepEqual(second.applied, []);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>(
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
      );
      assert.deepEqual(
        rows.map((r) => r.migration_name),
        folders,
      );
    } finally {
      await client.end();
    }
  });
});

test("concurrent callers apply each migration once", async () => {
  await withEmptyDatabase(async (url) => {
    const results = await Promise.all([
      applyMigrations(url),
      applyMigrations(url),
      applyMigrations(url),
    ]);
    const all = results.flatMap((r) => r.applied).sort();
    assert.deepEqual(all, folders);
  });
});
