import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded.ts";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("embedded PostgreSQL starts, keeps its data across a restart, and stops", async () => {
  const parent = await mkdtemp(join(tmpdir(), "gridfill-embedded-"));
  // Run as root, the server runs as `postgres`, which must be able to enter the parent.
  await chmod(parent, 0o711);
  const dataDir = join(parent, "postgres");
  try {
    const first = await startEmbeddedPostgres({ dataDir, database: "gridfill" });
    try {
      assert.match(first.url, /^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/gridfill$/);
      await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    } finally {
      await first.stop();
    }
    await assert.rejects(query(first.url, "SELECT 1"));

    const second = await startEmbeddedPostgres({ dataDir, database: "gridfill" });
    try {
      assert.deepEqual(await query(second.url, "SELECT v FROM kept"), [{ v: "still here" }]);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
