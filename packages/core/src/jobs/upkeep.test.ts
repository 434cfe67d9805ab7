// The upkeep job's partition chores against a real PostgreSQL: a run creates the Reading partitions
// from last month to two months ahead, a second run changes nothing, and with a retention the
// months entirely older than it are dropped.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { createLogger } from "../log.ts";
import { openQueue } from "./queues.ts";
import { runUpkeep } from "./upkeep.ts";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
  // The queue's schema, as in any cluster (the orphaned-row chore reads pgboss.job).
  const queue = await openQueue({
    config: loadConfig({ DATABASE_URL: db.url }),
    log: createLogger("error"),
    databaseUrl: db.url,
    pool: db.pool,
  });
  await queue.stop();
});
after(async () => {
  await db.drop();
});

/** An object store with nothing in it: the upload sweep finds nothing to remove. */
const emptyStorage = {
  async *listObjects() {},
  async removeMany() {},
} as unknown as Storage;

async function partitions(): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'Reading' AND p.relnamespace = current_schema()::regnamespace
      ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

function deps(env: Record<string, string> = {}) {
  const logged: string[] = [];
  return {
    logged,
    deps: {
      prisma: db.prisma,
      pool: db.pool,
      storage: emptyStorage,
      config: loadConfig({ DATABASE_URL: db.url, ...env }),
      log: createLogger("info", (line) => logged.push(line)),
    },
  };
}

test("the upkeep creates the coming months' Reading partitions, and running it again changes nothing", async () => {
  assert.deepEqual(await partitions(), ["Reading_default"]);
  const now = new Date("2031-05-15T12:00:00Z");
  const first = deps();
  await runUpkeep(first.deps, now);
  const expected = [
    "Reading_default",
    "Reading_y2031m04",
    "Reading_y2031m05",
    "Reading_y2031m06",
    "Reading_y2031m07",
  ];
  assert.deepEqual(await partitions(), expected);
  assert.equal(first.logged.length, 1);
  assert.equal(
    JSON.parse(first.logged[0]!).created,
    "Reading_y2031m04,Reading_y2031m05,Reading_y2031m06,Reading_y2031m07",
  );

  // A second run (another worker's, or the next minute's) finds everything in place.
  const second = deps();
  await runUpkeep(second.deps, now);
  assert.deepEqual(await partitions(), expected);
  assert.deepEqual(second.logged, []);

  // A reading for July goes to its own partition, not the default one.
  const device = await db.prisma.device.create({ data: { name: "upkeep-sensor", kind: "SENSOR" } });
  const metric = await db.prisma.metric.create({ data: { name: "humidity", unit: "%" } });
  await db.pool.query(
    `INSERT INTO "Reading" ("deviceId", "metricId", "time", "value") VALUES ($1, $2, $3, 50)`,
    [device.id, metric.id, "2031-07-31T23:59:59Z"],
  );
  const { rows } = await db.pool.query<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM "Reading"`,
  );
  assert.deepEqual(rows, [{ part: '"Reading_y2031m07"' }]);
});

test("with a retention, the upkeep drops the months entirely older than it", async () => {
  // Retention of 60 days on 2031-06-20: the cutoff is 2031-04-21, so April (ending May 1) stays.
  const now = new Date("2031-06-20T00:00:00Z");
  const { deps: withRetention, logged } = deps({ GRIDFILL_READING_RETENTION_DAYS: "60" });
  await runUpkeep(withRetention, new Date("2031-03-10T00:00:00Z"));
  assert.ok((await partitions()).includes("Reading_y2031m02"));
  logged.length = 0;
  await runUpkeep(withRetention, now);
  assert.deepEqual(await partitions(), [
    "Reading_default",
    "Reading_y2031m04",
    "Reading_y2031m05",
    "Reading_y2031m06",
    "Reading_y2031m07",
    "Reading_y2031m08",
  ]);
  const line = JSON.parse(logged[0]!) as Record<string, unknown>;
  assert.equal(line.created, "Reading_y2031m08");
  assert.equal(line.droppedPastRetention, "Reading_y2031m02,Reading_y2031m03");
});
