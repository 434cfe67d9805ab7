// Progress by notification: triggers NOTIFY in the transaction that moves a job, the API listens
// once per process, and a subscriber costs the database nothing while nothing moves.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { ProgressHub, watchProgress } from "./hub.ts";
import { startTestApi, type TestApi } from "../testing/harness.ts";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

async function newImportJob(database: TestDatabase, name: string): Promise<string> {
  const dataset = await database.prisma.dataset.create({ data: { name } });
  const job = await database.prisma.importJob.create({
    data: { datasetId: dataset.id, format: "VOC", source: "imports/test.zip" },
  });
  return job.id;
}

/** Resolves with the generator's next value, or "quiet" if none comes within `ms`. */
async function nextWithin<T>(pending: Promise<IteratorResult<T>>, ms: number) {
  return Promise.race([pending, sleep(ms).then(() => "quiet" as const)]);
}

test("a watch reads its row at start and again only when a notification names it", async () => {
  const id = await newImportJob(db, "progress-hub");
  const other = await newImportJob(db, "progress-hub-other");
  const hub = new ProgressHub(db.url);
  let reads = 0;
  const watch = watchProgress(hub, {
    matches: (event) => event.kind === "import" && event.id === id,
    load: async () => {
      reads += 1;
      return db.prisma.importJob.findUnique({ where: { id } });
    },
    signature: (row) => `${row.status}|${row.done}`,
    finished: (row) => row.status === "SUCCEEDED",
  });
  assert.equal((await watch.next()).value?.status, "QUEUED");
  assert.equal(reads, 1);

  // Nothing moves: no read, however long the subscriber waits.
  let pending = watch.next();
  assert.equal(await nextWithin(pending, 1200), "quiet");
  assert.equal(reads, 1);

  // Another job's progress and a change that is not progress wake nobody here.
  await db.pool.query(`UPDATE "ImportJob" SET done = 3 WHERE id = $1`, [other]);
  await db.pool.query(`UPDATE "ImportJob" SET "updatedAt" = now() WHERE id = $1`, [id]);
  assert.equal(await nextWithin(pending, 600), "quiet");
  assert.equal(reads, 1);

  // Progress written by raw SQL in a transaction arrives once it commits.
  await db.pool.query(`UPDATE "ImportJob" SET status = 'RUNNING', done = 5 WHERE id = $1`, [id]);
  const running = await nextWithin(pending, 5000);
  assert.notEqual(running, "quiet");
  const { status, done } = (running as IteratorYieldResult<{ status: string; done: number }>).value;
  assert.deepEqual([status, done], ["RUNNING", 5]);
  assert.equal(reads, 2);

  pending = watch.next();
  await db.pool.query(`UPDATE "ImportJob" SET status = 'SUCCEEDED', done = 9 WHERE id = $1`, [id]);
  assert.equal(
    ((await pending) as IteratorYieldResult<{ status: string }>).value.status,
    "SUCCEEDED",
  );
  assert.equal((await watch.next()).done, true, "a finished job ends the watch");
});

test("import and export progress arrive over graphql-ws as the rows move", async () => {
  const t: TestApi = await startTestApi();
  const client = createClient({
    url: t.api.url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${t.users.VIEWER.token}` },
  });
  try {
    const importId = await newImportJob(t.db, "progress-api");
    const dataset = await t.db.prisma.dataset.create({ data: { name: "progress-api-export" } });
    const version = await t.db.prisma.datasetVersion.create({
      data: {
        datasetId: dataset.id,
        number: 1,
        manifestKey: "versions/x.json",
        manifestSha256: "0".repeat(64),
        images: 0,
        boxes: 0,
      },
    });
    const exportJob = await t.db.prisma.exportJob.create({
      data: { versionId: version.id, format: "COCO", splits: ["TRAIN"] },
    });

    const follow = async <T>(query: string, id: string, field: string, moves: string[]) => {
      const seen: T[] = [];
      const sub = client.iterate<Record<string, T>>({ query, variables: { id } });
      const first = await sub.next();
      assert.equal(first.value?.errors, undefined, JSON.stringify(first.value?.errors));
      seen.push(first.value!.data![field]!);
      const rest = (async () => {
        for await (const event of sub) seen.push(event.data![field]!);
      })();
      for (const sql of moves) {
        await t.db.pool.query(sql, [id]);
        await sleep(150);
      }
      await rest;
      return seen;
    };

    const imports = await follow<{ status: string; done: number }>(
      `subscription($id: ID!) { importJobUpdated(id: $id) { status done } }`,
      importId,
      "importJobUpdated",
      [
        `UPDATE "ImportJob" SET status = 'RUNNING', done = 1 WHERE id = $1`,
        `UPDATE "ImportJob" SET done = 2 WHERE id = $1`,
        `UPDATE "ImportJob" SET status = 'SUCCEEDED', done = 3 WHERE id = $1`,
      ],
    );
    assert.deepEqual(imports, [
      { status: "QUEUED", done: 0 },
      { status: "RUNNING", done: 1 },
      { status: "RUNNING", done: 2 },
      { status: "SUCCEEDED", done: 3 },
    ]);

    const exports = await follow<{ status: string; images: number }>(
      `subscription($id: ID!) { exportJobUpdated(id: $id) { status images } }`,
      exportJob.id,
      "exportJobUpdated",
      [
        `UPDATE "ExportJob" SET status = 'RUNNING', images = 4 WHERE id = $1`,
        `UPDATE "ExportJob" SET status = 'FAILED', message = 'disk full' WHERE id = $1`,
      ],
    );
    assert.deepEqual(exports, [
      { status: "QUEUED", images: 0 },
      { status: "RUNNING", images: 4 },
      { status: "FAILED", images: 4 },
    ]);
  } finally {
    await client.dispose();
    await t.close();
  }
});
