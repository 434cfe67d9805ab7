// Imports survive the process that runs them: a `gridfill worker` killed with SIGKILL mid-import
// stops sending heartbeats and another worker takes the job over within a minute and finishes it;
// SIGTERM makes a worker hand its import back and exit within 10 s, with nothing half-written; and a
// worker that starts fails the rows whose jobs cannot come back, and takes over jobs left active
// without a heartbeat.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { png, vocXmlOf, zipOf } from "../../../packages/formats/src/test-fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/gridfill.js", import.meta.url));
const IMAGES = 240;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestApi;
let zip: Buffer;
const workers: ChildProcess[] = [];
const output: string[] = [];
before(async () => {
  // The API only enqueues here; the workers are processes of their own, with default settings.
  t = await startTestApi({}, { jobs: { work: [] } });
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < IMAGES; i++) {
    const [width, height] = [40 + (i % 60), 30 + Math.floor(i / 60)];
    files[`JPEGImages/s${i}.png`] = png(width, height);
    files[`Annotations/s${i}.xml`] = vocXmlOf(`s${i}.png`, { width, height }, [
      ["crack", 1, 1, 10, 10],
      ["nest", 12, 2, 30, 20],
    ]);
  }
  zip = await zipOf(files);
});
// Each test's workers go with it, so the next test sees only its own.
const stopWorkers = async () => {
  for (const w of workers.splice(0))
    if (w.exitCode === null && w.signalCode === null) {
      const exited = new Promise((r) => w.once("exit", r));
      w.kill("SIGKILL");
      await exited;
    }
};
afterEach(stopWorkers);
after(async () => {
  await stopWorkers();
  await t.close();
});

function startWorker(name: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, "worker", "--queues", "import"], {
    env: { ...process.env, ...t.s3Env, DATABASE_URL: t.db.url, GRIDFILL_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => output.push(`[${name}] ${d.toString()}`);
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  workers.push(child);
  return child;
}

async function startImport(name: string): Promise<{ datasetId: string; importId: string }> {
  const created = await t.gql<{ createDataset: { id: string } }>(
    `mutation($name: String!) { createDataset(input: { name: $name }) { id } }`,
    { name },
    t.users.CURATOR,
  );
  const datasetId = created.data!.createDataset.id;
  const ticket = await t.gql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    { id: datasetId, bytes: zip.length },
    t.users.CURATOR,
  );
  const { key, url, headers } = ticket.data!.requestImportUpload;
  assert.equal(
    (await fetch(url, { method: "PUT", headers, body: new Uint8Array(zip) })).status,
    200,
  );
  const started = await t.gql<{ startImport: { id: string } }>(
    `mutation($id: ID!, $source: String!) { startImport(datasetId: $id, format: VOC, source: $source) { id } }`,
    { id: datasetId, source: key },
    t.users.CURATOR,
  );
  assert.equal(started.errors, undefined, JSON.stringify(started.errors));
  return { datasetId, importId: started.data!.startImport.id };
}

const row = (id: string) => t.db.prisma.importJob.findUniqueOrThrow({ where: { id } });

async function imagesIn(datasetId: string): Promise<number> {
  return t.db.prisma.image.count({ where: { datasetId } });
}

async function jobState(importId: string): Promise<string | undefined> {
  const { rows } = await t.db.pool.query<{ state: string }>(
    `SELECT state::text FROM pgboss.job WHERE name = 'gridfill-import' AND data->>'id' = $1`,
    [importId],
  );
  return rows[0]?.state;
}

/** Waits until the import has committed some images, but not all. */
async function midway(datasetId: string, importId: string): Promise<void> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(100)) {
    const n = await imagesIn(datasetId);
    if (n >= 10) {
      assert.ok(n < IMAGES, `still running at ${n} of ${IMAGES} images`);
      return;
    }
    if ((await row(importId)).status === "FAILED") break;
  }
  assert.fail(`the import did not get going\n${output.join("").slice(-3000)}`);
}

async function finished(importId: string, timeoutMs: number) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
    const r = await row(importId);
    if (r.status === "SUCCEEDED" || r.status === "FAILED") return r;
  }
  assert.fail(`import ${importId} did not finish\n${output.join("").slice(-3000)}`);
}

async function assertWhole(datasetId: string) {
  assert.equal(await imagesIn(datasetId), IMAGES, "every image once");
  const boxes = await t.db.prisma.annotation.count({ where: { image: { datasetId } } });
  assert.equal(boxes, 2 * IMAGES, "every box once");
  assert.deepEqual(
    await readCounters(t.db.prisma, datasetId),
    await recomputeCounters(t.db.prisma, datasetId),
  );
}

test(
  "a worker killed mid-import: another takes the job over within a minute and finishes it",
  { timeout: 600_000 },
  async () => {
    const first = startWorker("first");
    const { datasetId, importId } = await startImport("killed-import");
    await midway(datasetId, importId);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const killedAt = Date.now();
    const committed = await imagesIn(datasetId);
    startWorker("second");
    // Taken over: images are added again.
    for (;;) {
      if ((await imagesIn(datasetId)) > committed) {
        console.log(`taken over ${Date.now() - killedAt} ms after the kill`);
        break;
      }
      const waited = Date.now() - killedAt;
      assert.ok(waited < 60_000, `taken over within a minute of the kill (${waited} ms)`);
      await sleep(250);
    }
    const r = await finished(importId, 300_000);
    assert.equal(r.status, "SUCCEEDED", r.message ?? "");
    await assertWhole(datasetId);
  },
);

test(
  "SIGTERM mid-import: the worker hands the job back and exits within 10 s; the next one resumes",
  { timeout: 600_000 },
  async () => {
    const worker = startWorker("stopped");
    const { datasetId, importId } = await startImport("stopped-import");
    await midway(datasetId, importId);
    const exited = new Promise((r) => worker.once("exit", r));
    const signalledAt = Date.now();
    worker.kill("SIGTERM");
    await exited;
    const stopMs = Date.now() - signalledAt;
    assert.ok(stopMs < 10_000, `exited ${stopMs} ms after SIGTERM`);
    const state = await jobState(importId);
    assert.ok(["retry", "created"].includes(state ?? ""), `handed back (${state})`);
    assert.equal((await row(importId)).status, "RUNNING");
    // Nothing half-written: every committed image has its boxes and its counts.
    const committed = await imagesIn(datasetId);
    assert.equal(
      await t.db.prisma.annotation.count({ where: { image: { datasetId } } }),
      2 * committed,
    );
    assert.deepEqual(
      await readCounters(t.db.prisma, datasetId),
      await recomputeCounters(t.db.prisma, datasetId),
    );
    startWorker("resumed");
    const r = await finished(importId, 300_000);
    assert.equal(r.status, "SUCCEEDED", r.message ?? "");
    await assertWhole(datasetId);
  },
);

test(
  "a starting worker fails rows whose job is gone, and takes over jobs left active without a heartbeat",
  { timeout: 300_000 },
  async () => {
    // A row whose job was removed (its retries spent and the job purged).
    const gone = await startImport("gone-import");
    await t.db.pool.query(`DELETE FROM pgboss.job WHERE data->>'id' = $1`, [gone.importId]);
    // A job left active by a process from before heartbeats: started an hour ago, no heartbeat.
    const stale = await startImport("stale-import");
    await t.db.pool.query(
      `UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 hour',
       heartbeat_seconds = NULL, heartbeat_on = NULL
     WHERE data->>'id' = $1`,
      [stale.importId],
    );
    await t.db.prisma.importJob.update({
      where: { id: stale.importId },
      data: { status: "RUNNING", startedAt: new Date() },
    });
    const startedAt = Date.now();
    startWorker("restarted");
    const failed = await finished(gone.importId, 60_000);
    assert.equal(failed.status, "FAILED");
    assert.match(failed.message ?? "", /cannot be resumed/);
    const resumed = await finished(stale.importId, 300_000);
    assert.equal(resumed.status, "SUCCEEDED", resumed.message ?? "");
    assert.ok(Date.now() - startedAt < 240_000);
    await assertWhole(stale.datasetId);
  },
);
