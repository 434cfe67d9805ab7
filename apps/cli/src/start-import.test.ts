// `gridfill start` under a hostile import: a COCO archive whose one 100 × 80 image has 1,000,000
// boxes. The import runs in the supervised worker process, so /healthz and a GraphQL query keep
// answering while it runs (measured from a client); the image is refused with a per-file error and
// the rest goes in. SIGTERM mid-import stops the platform within 10 s, the job is handed back, and
// the restarted platform resumes it.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createTestDatabase } from "@gridfill/db";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { png, zipOf } from "../../../packages/formats/src/test-fixtures.ts";

const bin = path.resolve(import.meta.dirname, "../bin/gridfill.js");
const BOXES = 1_000_000;
const EMAIL = "admin@start-import.test";
const PASSWORD = "a-long-enough-password";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One image with a million boxes, and four ordinary ones. */
async function hostileCoco(): Promise<Buffer> {
  const parts: string[] = [];
  for (let k = 1; k <= BOXES; k++)
    parts.push(
      `{"id":${k},"image_id":1,"category_id":1,"bbox":[${k % 90},${k % 70},5,${4 + (k % 5)}]}`,
    );
  for (let i = 2; i <= 5; i++)
    parts.push(`{"id":${BOXES + i},"image_id":${i},"category_id":2,"bbox":[1,1,10,10]}`);
  const images = [1, 2, 3, 4, 5].map((i) => ({
    id: i,
    file_name: `i${i}.png`,
    width: 100,
    height: 80,
  }));
  const json = `{"images":${JSON.stringify(images)},"categories":[{"id":1,"name":"crack"},{"id":2,"name":"nest"}],"annotations":[${parts.join(",")}]}`;
  const files: Record<string, string | Buffer> = { "annotations/instances_train.json": json };
  for (let i = 1; i <= 5; i++) files[`images/i${i}.png`] = png(100, 80 + i);
  return zipOf(files);
}

interface Platform {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
  url: string;
}

async function start(env: NodeJS.ProcessEnv): Promise<Platform> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, "start", "--no-web"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  for (const deadline = Date.now() + 240_000; !output.includes("Press Ctrl-C to stop.");) {
    if (child.exitCode !== null) assert.fail(`gridfill start exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      assert.fail(`gridfill start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, exited, output: () => output, url: `http://127.0.0.1:${port}` };
}

async function gql<T>(url: string, token: string | null, query: string, variables = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "apollo-require-preflight": "true",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!;
}

async function startImport(url: string, token: string, name: string, zip: Buffer) {
  const { createDataset } = await gql<{ createDataset: { id: string } }>(
    url,
    token,
    `mutation($n: String!) { createDataset(input: { name: $n }) { id } }`,
    { n: name },
  );
  const { requestImportUpload: ticket } = await gql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    url,
    token,
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    {
      id: createDataset.id,
      bytes: zip.length,
    },
  );
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(zip),
  });
  assert.equal(put.status, 200);
  const { startImport: job } = await gql<{ startImport: { id: string } }>(
    url,
    token,
    `mutation($id: ID!, $s: String!) { startImport(datasetId: $id, format: COCO, source: $s) { id } }`,
    { id: createDataset.id, s: ticket.key },
  );
  return { datasetId: createDataset.id, importId: job.id };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

test(
  "a 10^6-box import under gridfill start: /healthz and GraphQL keep answering, SIGTERM stops it within 10 s, a restart resumes it",
  { timeout: 1_200_000 },
  async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gridfill-start-import-"));
    await chmod(dataDir, 0o755);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      GRIDFILL_DATA_DIR: dataDir,
      GRIDFILL_SEED_DEMO: "false",
      GRIDFILL_ADMIN_EMAIL: EMAIL,
      GRIDFILL_ADMIN_PASSWORD: PASSWORD,
      GRIDFILL_LOG_LEVEL: "warn",
    };
    delete env.S3_ENDPOINT;
    delete env.MQTT_URL;
    const platforms: Platform[] = [];
    try {
      const zip = await hostileCoco();
      const first = await start(env);
      platforms.push(first);
      const login = async (url: string) =>
        (
          await gql<{ login: { sessionToken: string } }>(
            url,
            null,
            `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { sessionToken } }`,
            { e: EMAIL, p: PASSWORD },
          )
        ).login.sessionToken;
      const token = await login(first.url);

      // 1. While the import runs, a client measures /healthz and a GraphQL query.
      const hostile = await startImport(first.url, token, "hostile", zip);
      const health: number[] = [];
      const graphql: number[] = [];
      let status = "QUEUED";
      for (const deadline = Date.now() + 600_000; !["SUCCEEDED", "FAILED"].includes(status);) {
        assert.ok(Date.now() < deadline, "the import finished within 10 minutes");
        let at = performance.now();
        const h = await fetch(`${first.url}/healthz`);
        health.push(performance.now() - at);
        assert.equal(h.status, 200);
        at = performance.now();
        const { importJob } = await gql<{ importJob: { status: string } }>(
          first.url,
          token,
          `query($id: ID!) { importJob(id: $id) { status } }`,
          { id: hostile.importId },
        );
        graphql.push(performance.now() - at);
        status = importJob.status;
        await new Promise((r) => setTimeout(r, 100));
      }
      const summary = (ms: number[]) =>
        `n=${ms.length} p50=${percentile(ms, 0.5).toFixed(1)} p95=${percentile(ms, 0.95).toFixed(1)} max=${Math.max(...ms).toFixed(1)} ms`;
      console.log(`/healthz during the import: ${summary(health)}`);
      console.log(`GraphQL importJob during the import: ${summary(graphql)}`);
      const { importJob: done } = await gql<{
        importJob: { status: string; imagesAdded: number; errors: { code: string }[] };
      }>(
        first.url,
        token,
        `query($id: ID!) { importJob(id: $id) { status imagesAdded errors { code } } }`,
        {
          id: hostile.importId,
        },
      );
      assert.equal(done.status, "SUCCEEDED");
      assert.equal(done.imagesAdded, 4);
      assert.deepEqual(
        done.errors.map((e) => e.code),
        ["TOO_MANY_BOXES"],
      );
      assert.ok(percentile(health, 0.95) < 100, `/healthz p95 ${summary(health)}`);
      assert.ok(percentile(graphql, 0.95) < 100, `GraphQL p95 ${summary(graphql)}`);

      // 2. SIGTERM mid-import: stopped within 10 s, the job handed back, nothing half-written.
      const second = await startImport(first.url, token, "interrupted", zip);
      for (;;) {
        const { rows } = await db.pool.query<{ status: string }>(
          `SELECT status::text FROM "ImportJob" WHERE id = $1`,
          [second.importId],
        );
        if (rows[0]!.status === "RUNNING") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 3000)); // well into reading the file
      const signalledAt = Date.now();
      first.child.kill("SIGTERM");
      assert.equal(await first.exited, 0, first.output().slice(-3000));
      const stopMs = Date.now() - signalledAt;
      console.log(`gridfill start stopped ${stopMs} ms after SIGTERM, mid-import`);
      assert.ok(stopMs < 10_000, `stopped ${stopMs} ms after SIGTERM`);
      const { rows: jobs } = await db.pool.query<{ state: string }>(
        `SELECT state::text FROM pgboss.job WHERE name = 'gridfill-import' AND data->>'id' = $1`,
        [second.importId],
      );
      assert.deepEqual(
        jobs.map((j) => j.state),
        ["retry"],
        "handed back",
      );
      assert.deepEqual(
        await readCounters(db.prisma, second.datasetId),
        await recomputeCounters(db.prisma, second.datasetId),
      );

      // 3. The restarted platform resumes it.
      const again = await start(env);
      platforms.push(again);
      const token2 = await login(again.url);
      for (const deadline = Date.now() + 600_000; ;) {
        const { importJob } = await gql<{ importJob: { status: string; imagesAdded: number } }>(
          again.url,
          token2,
          `query($id: ID!) { importJob(id: $id) { status imagesAdded } }`,
          { id: second.importId },
        );
        if (importJob.status === "SUCCEEDED") break;
        assert.notEqual(importJob.status, "FAILED");
        assert.ok(Date.now() < deadline, "the resumed import finished");
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(await db.prisma.image.count({ where: { datasetId: second.datasetId } }), 4);
      again.child.kill("SIGINT");
      assert.equal(await again.exited, 0);
    } finally {
      for (const p of platforms) if (p.child.exitCode === null) p.child.kill("SIGKILL");
      await db.drop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
