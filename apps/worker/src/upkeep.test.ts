// Periodic chores are a pg-boss schedule the workers run: with two worker processes on one
// database, each minute's upkeep runs once, sweeps expired uploads, fails an import row whose job
// can no longer run (not only at a worker's start), and creates the coming Reading partitions.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase, readingPartitionName, type TestDatabase } from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv, type EmbeddedS3 } from "@gridfill/storage";
import { createLogger } from "@gridfill/core";
import { startJobs, type RunningJobs } from "./jobs.ts";

let db: TestDatabase;
let s3: EmbeddedS3;
let dir: string;
let storage: Storage;
const workers: RunningJobs[] = [];
before(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "gridfill-upkeep-"));
  s3 = await startEmbeddedS3({ directory: dir });
  storage = new Storage(
    storageConfigFromEnv({
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
    }),
  );
  await storage.ensureBuckets();
});
after(async () => {
  for (const w of workers) await w.stop().catch(() => {});
  await db.drop();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

test(
  "each minute's upkeep runs once across workers, sweeps expired uploads, fails orphaned rows and creates the coming partitions",
  { timeout: 240_000 },
  async () => {
    const config = loadConfig({ DATABASE_URL: db.url, GRIDFILL_LOG_LEVEL: "error" });
    const deps = {
      prisma: db.prisma,
      pool: db.pool,
      storage,
      config,
      log: createLogger("error"),
      databaseUrl: db.url,
    };
    for (let i = 0; i < 2; i++) workers.push(await startJobs(deps, { work: ["import"] }));
    const dataset = await db.prisma.dataset.create({ data: { name: "upkeep" } });
    const intent = await db.prisma.uploadIntent.create({
      data: {
        datasetId: dataset.id,
        sha256: "0".repeat(64),
        bytes: 10,
        mimeType: "image/png",
        filename: "late.png",
        objectKey: "staging/late",
        expiresAt: new Date(Date.now() - 60_000),
      },
    });
    // Created after the workers started, so only the schedule can find it: its job is gone.
    const orphan = await db.prisma.importJob.create({
      data: {
        datasetId: dataset.id,
        format: "COCO",
        source: "imports/none.zip",
        status: "RUNNING",
      },
    });
    const deadline = Date.now() + 150_000;
    for (;;) {
      const left = await db.prisma.uploadIntent.count({ where: { id: intent.id } });
      const row = await db.prisma.importJob.findUniqueOrThrow({ where: { id: orphan.id } });
      if (left === 0 && row.status === "FAILED") break;
      assert.ok(Date.now() < deadline, "the upkeep ran within two and a half minutes");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // The same run made the Reading partitions (nothing else here creates them): this month's and
    // the next two.
    const now = new Date();
    const wanted = [0, 1, 2].map((k) => {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
      return readingPartitionName(month.getUTCFullYear(), month.getUTCMonth() + 1);
    });
    const made = await db.pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY 1`,
      [wanted],
    );
    assert.deepEqual(
      made.rows.map((r) => r.name),
      wanted,
    );
    const { rows } = await db.pool.query<{ minute: Date; runs: number }>(
      `SELECT date_trunc('minute', created_on) AS minute, count(*)::int AS runs
     FROM pgboss.job WHERE name = 'gridfill-upkeep' GROUP BY 1`,
    );
    assert.ok(rows.length >= 1);
    for (const r of rows)
      assert.equal(r.runs, 1, `one upkeep in the minute of ${r.minute.toISOString()}`);
  },
);
