// Fault tests of synthetic fills with the demo MVSA-GAN model: a `gridfill worker` process killed
// with SIGKILL mid-job and a second one taking over; the database stopped for a few seconds
// mid-job. Either way: exactly the requested count, no duplicate object or row, nothing half-written.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@gridfill/config";
import {
  createPrisma,
  createPool,
  applyMigrations,
  startEmbeddedPostgres,
  type PrismaClient,
} from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv } from "@gridfill/storage";
import { boxImage } from "@gridfill/generator/testing";
import { addImageFromBuffer, createLogger, requestFill } from "@gridfill/core";
import { startJobs } from "@gridfill/worker";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { seedDemoModel } from "./demo-seed.ts";

const BIN = fileURLToPath(new URL("../bin/gridfill.js", import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A dataset with one class and five real train images, and the demo model registered. */
async function scenery(
  prisma: PrismaClient,
  storage: Storage,
  config: ReturnType<typeof loadConfig>,
) {
  const model = await seedDemoModel({ prisma, storage });
  assert.ok(model, "the demo model files are in the repository");
  const dataset = await prisma.dataset.create({
    data: { name: `faults-${Date.now()}`, syntheticShareCap: 0.99 },
  });
  const cls = await prisma.defectClass.create({
    data: { datasetId: dataset.id, name: "bird_nest", title: "Bird nest" },
  });
  for (let i = 0; i < 5; i++) {
    const box = { x: 20 + i * 3, y: 16 + i * 2, width: 48, height: 40 };
    await addImageFromBuffer(
      { prisma, storage, config },
      {
        datasetId: dataset.id,
        buffer: await boxImage(128, 96, box, [60 + i * 30, 140, 200 - i * 20], i + 1),
        filename: `nest-${i}.png`,
        split: "TRAIN",
        annotations: [{ className: "bird_nest", box }],
        actor: null,
      },
    );
  }
  return { datasetId: dataset.id, classId: cls.id, modelId: model.id };
}

/** The invariants a fill leaves however it was interrupted. */
async function assertWhole(
  prisma: PrismaClient,
  storage: Storage,
  requestId: string,
  datasetId: string,
) {
  const request = await prisma.fillRequest.findUniqueOrThrow({ where: { id: requestId } });
  const lineages = await prisma.lineage.findMany({
    where: { requestId },
    orderBy: { sampleIndex: "asc" },
  });
  const indices = lineages.map((l) => l.sampleIndex);
  assert.equal(new Set(indices).size, indices.length, "no sample twice");
  assert.equal(request.completed, lineages.length);
  const synthetic = await prisma.image.findMany({
    where: { datasetId, origin: "SYNTHETIC" },
    include: { annotations: true, lineage: true },
  });
  assert.equal(
    synthetic.length,
    lineages.length,
    "every synthetic image has its lineage row and vice versa",
  );
  for (const image of synthetic) {
    assert.ok(image.lineage, `image ${image.id} has lineage`);
    // a composite carries its host's boxes; exactly one box is the sample's own
    assert.equal(
      image.annotations.filter((a) => a.source === "GENERATED").length,
      1,
      `image ${image.id} has its box`,
    );
  }
  const keys: string[] = [];
  for await (const key of storage.listKeys("images", `synthetic/${requestId}/`)) keys.push(key);
  const committed = new Set(synthetic.map((i) => i.objectKey));
  for (const key of committed) assert.ok(keys.includes(key), `object ${key} exists`);
  assert.deepEqual(
    await readCounters(prisma, datasetId),
    await recomputeCounters(prisma, datasetId),
  );
  return { request, indices, keys };
}

const workerOutput: string[] = [];
function startWorker(t: TestApi, name: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, "worker", "--queues", "fill"], {
    env: {
      ...process.env,
      ...t.s3Env,
      DATABASE_URL: t.db.url,
      GRIDFILL_FILL_BATCH: "2",
      GRIDFILL_JOB_SUPERVISE_SECONDS: "1",
      GRIDFILL_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output += d.toString();
    workerOutput.push(`[${name}] ${d.toString()}`);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.on("exit", (code, signal) => {
    if (code && code !== 0)
      process.stderr.write(`[${name}] exited ${code} ${signal ?? ""}\n${output.slice(-2000)}\n`);
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return child;
}

test(
  "a worker killed with SIGKILL mid-fill: another worker resumes, exactly the count, no duplicate",
  { timeout: 300_000 },
  async () => {
    const t = await startTestApi(
      { GRIDFILL_FILL_MAX_COUNT: "200", GRIDFILL_JOB_SUPERVISE_SECONDS: "1" },
      { jobs: { work: [] } },
    );
    cleanups.push(() => t.close());
    const { datasetId, classId } = await scenery(t.db.prisma, t.storage, t.config);
    const count = 60;
    const request = await requestFill(
      { prisma: t.db.prisma, storage: t.storage, config: t.config, jobs: t.jobs },
      null,
      { datasetId, classId, count },
    );

    const first = startWorker(t, "worker-1");
    let killedAt = -1;
    for (let i = 0; i < 1200; i++) {
      const row = await t.db.prisma.fillRequest.findUniqueOrThrow({
        where: { id: request.id },
      });
      if (row.completed >= 4) {
        first.kill("SIGKILL");
        await new Promise((r) => first.once("exit", r));
        killedAt = (await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } }))
          .completed;
        break;
      }
      await sleep(100);
    }
    assert.ok(
      killedAt >= 4 && killedAt < count,
      `the first worker was killed mid-job (at ${killedAt} of ${count})\n${workerOutput.join("").slice(-3000)}`,
    );

    startWorker(t, "worker-2");
    let row = await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    for (let i = 0; i < 2400 && row.status !== "SUCCEEDED" && row.status !== "FAILED"; i++) {
      await sleep(100);
      row = await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    }
    assert.equal(row.status, "SUCCEEDED", row.error ?? "");
    const { indices, keys } = await assertWhole(t.db.prisma, t.storage, request.id, datasetId);
    assert.deepEqual(
      indices,
      Array.from({ length: count }, (_, i) => i),
    );
    assert.equal(keys.length, count, "one object per sample, none extra");
    const [job] = await t.db.prisma.$queryRawUnsafe<{ retry_count: number }[]>(
      `SELECT retry_count FROM pgboss.job WHERE id = $1::uuid`,
      row.jobId,
    );
    assert.ok(job && job.retry_count >= 1, "the job was taken over by a second attempt");
  },
);

test(
  "a worker stopped with SIGTERM mid-fill exits cleanly and another finishes the fill",
  { timeout: 300_000 },
  async () => {
    const t = await startTestApi(
      { GRIDFILL_FILL_MAX_COUNT: "400", GRIDFILL_JOB_SUPERVISE_SECONDS: "1" },
      { jobs: { work: [] } },
    );
    cleanups.push(() => t.close());
    const { datasetId, classId } = await scenery(t.db.prisma, t.storage, t.config);
    const count = 300;
    const request = await requestFill(
      { prisma: t.db.prisma, storage: t.storage, config: t.config, jobs: t.jobs },
      null,
      { datasetId, classId, count },
    );

    const first = startWorker(t, "worker-term");
    for (let i = 0; i < 1200; i++) {
      if (
        (await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } }))
          .completed >= 4
      )
        break;
      await sleep(100);
    }
    const exited = new Promise<number | null>((r) => first.once("exit", (code) => r(code)));
    const stoppedAt = Date.now();
    first.kill("SIGTERM");
    assert.equal(await exited, 0, `clean exit on SIGTERM\n${workerOutput.join("").slice(-2000)}`);
    const stopSeconds = (Date.now() - stoppedAt) / 1000;
    const left = await t.db.prisma.fillRequest.findUniqueOrThrow({
      where: { id: request.id },
    });
    assert.ok(
      left.completed < count,
      `the worker stopped before finishing (${left.completed} of ${count}, ${stopSeconds.toFixed(1)} s)`,
    );
    await assertWhole(t.db.prisma, t.storage, request.id, datasetId);

    startWorker(t, "worker-after-term");
    let row = left;
    for (let i = 0; i < 2400 && row.status !== "SUCCEEDED" && row.status !== "FAILED"; i++) {
      await sleep(100);
      row = await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    }
    assert.equal(row.status, "SUCCEEDED", row.error ?? "");
    const { indices, keys } = await assertWhole(t.db.prisma, t.storage, request.id, datasetId);
    assert.deepEqual(
      indices,
      Array.from({ length: count }, (_, i) => i),
    );
    assert.equal(keys.length, count);
  },
);

test(
  "the database stops for a few seconds mid-fill: the job recovers, nothing half-written",
  { timeout: 300_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "gridfill-fill-dbstop-"));
    const { chmod } = await import("node:fs/promises");
    await chmod(dir, 0o755);
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    let pg = await startEmbeddedPostgres({
      dataDir: path.join(dir, "pg"),
      database: "gridfill",
      keepProcessAlive: false,
    });
    const port = pg.port;
    cleanups.push(() => pg.stop());
    await applyMigrations(pg.url);
    const s3 = await startEmbeddedS3({ directory: path.join(dir, "s3") });
    cleanups.push(() => s3.stop());
    const env = {
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
    };
    const storage = new Storage(storageConfigFromEnv(env));
    await storage.ensureBuckets();
    const config = loadConfig({
      ...env,
      GRIDFILL_FILL_MAX_COUNT: "200",
      GRIDFILL_FILL_BATCH: "2",
      GRIDFILL_JOB_SUPERVISE_SECONDS: "1",
      GRIDFILL_LOG_LEVEL: "error",
    });
    const prisma = createPrisma(pg.url);
    const pool = createPool(pg.url);
    cleanups.push(async () => {
      await prisma.$disconnect();
      await pool.end();
    });
    const logged: string[] = [];
    const jobs = await startJobs({
      prisma,
      pool,
      storage,
      config,
      log: createLogger("error", (line) => logged.push(line)),
      databaseUrl: pg.url,
    });
    cleanups.push(() => jobs.stop());
    const { datasetId, classId } = await scenery(prisma, storage, config);
    const count = 40;
    const request = await requestFill({ prisma, storage, config, jobs }, null, {
      datasetId,
      classId,
      count,
    });

    for (let i = 0; i < 1200; i++) {
      if (
        (await prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } })).completed >= 4
      )
        break;
      await sleep(100);
    }
    await pg.stop();
    await sleep(4000);
    pg = await startEmbeddedPostgres({
      dataDir: path.join(dir, "pg"),
      port,
      database: "gridfill",
      keepProcessAlive: false,
    });

    let row = await prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
    for (let i = 0; i < 2400; i++) {
      try {
        row = await prisma.fillRequest.findUniqueOrThrow({ where: { id: request.id } });
        if (row.status === "SUCCEEDED" || row.status === "FAILED") break;
      } catch {
        // connections are re-established after the restart
      }
      await sleep(100);
    }
    assert.ok(
      row.status === "SUCCEEDED" || row.status === "FAILED",
      `the fill ended (${row.status})\n${logged.slice(-20).join("\n")}`,
    );
    const { indices } = await assertWhole(prisma, storage, request.id, datasetId);
    if (row.status === "SUCCEEDED")
      assert.deepEqual(
        indices,
        Array.from({ length: count }, (_, i) => i),
      );
    else assert.ok(row.error, "a failed fill says why");
  },
);
