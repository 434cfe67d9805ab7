// `gridfill ingest` as an operator runs it: a process of its own, against Mosquitto (MQTT_TEST_URL,
// else 127.0.0.1:1883) and a real PostgreSQL database, stopped with SIGTERM.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { test } from "node:test";
import { createTestDatabase } from "@gridfill/db";
import { seedDemoAssets } from "@gridfill/iot";
import {
  TEST_MQTT_URL,
  brokerUnavailable,
  connectPublisher,
  discardSession,
  privateTopicPrefix,
  waitFor,
} from "../../../packages/iot/src/fixtures.ts";

const bin = path.resolve(import.meta.dirname, "../bin/gridfill.js");
const skip = await brokerUnavailable();

function start(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [bin, "ingest", ...args], {
    env: { ...process.env, DATABASE_URL: "", MQTT_URL: "", GRIDFILL_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout!.on("data", (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out, exited };
}

async function count(
  pool: { query: (sql: string) => Promise<{ rows: { n: string }[] }> },
  table: string,
) {
  return Number((await pool.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n);
}

test("gridfill ingest refuses to start without DATABASE_URL, with a clear message", async () => {
  const { out, exited } = start([], { MQTT_URL: TEST_MQTT_URL });
  assert.notEqual(await exited, 0);
  assert.match(out.stderr, /DATABASE_URL is required/);
});

test(
  "gridfill ingest stores published readings once, dead-letters the rest, and stops cleanly on SIGTERM",
  { skip, timeout: 120_000 },
  async () => {
    const db = await createTestDatabase();
    await seedDemoAssets(db.prisma);
    const prefix = privateTopicPrefix();
    const clientId = `gridfill-cli-ingest-${randomUUID().slice(0, 8)}`;
    const env = { DATABASE_URL: db.url, MQTT_URL: TEST_MQTT_URL };
    let running: ChildProcess | undefined;
    const publisher = await connectPublisher(TEST_MQTT_URL);
    try {
      const first = start(["--client-id", clientId, "--topic-prefix", prefix], env);
      running = first.child;
      await waitFor(
        "the ingester to subscribe",
        () => first.out.stdout.includes("ingesting telemetry"),
        60_000,
      );

      const t0 = Date.parse("2026-01-10T00:00:00Z");
      const publish = (device: string, payload: unknown) =>
        publisher.publishAsync(`${prefix}gridfill/${device}/telemetry`, JSON.stringify(payload), {
          qos: 1,
        });
      for (let i = 0; i < 50; i++) {
        await publish(`demo-tower-${(i % 3) + 1}-sensor`, {
          time: new Date(t0 + i * 1000).toISOString(),
          readings: [
            { metric: "humidity", value: 50 + i, unit: "%" },
            { metric: "temperature", value: 10 + i },
          ],
        });
      }
      // The same message again (a redelivery, as far as the store is concerned), and two bad ones.
      await publish("demo-tower-1-sensor", {
        time: new Date(t0).toISOString(),
        readings: [{ metric: "humidity", value: 50, unit: "%" }],
      });
      await publish("no-such-device", { metric: "humidity", value: 1 });
      await publish("demo-tower-1-sensor", { metric: "humidity", value: "wet" });

      await waitFor(
        "100 readings and 2 dead letters",
        async () =>
          (await count(db.pool, "Reading")) === 100 && (await count(db.pool, "DeadLetter")) === 2,
      );
      const reasons = (
        await db.pool.query<{ reason: string }>(
          `SELECT split_part(reason, ':', 1) AS reason FROM "DeadLetter" ORDER BY reason`,
        )
      ).rows;
      assert.deepEqual(
        reasons.map((r) => r.reason),
        ["SCHEMA", "UNKNOWN_DEVICE"],
      );
      const { rows } = await db.pool.query<{ sum: number }>(
        `SELECT sum(value) AS sum FROM "Reading" r JOIN "Metric" m ON m.id = r."metricId" WHERE m.name = 'humidity'`,
      );
      assert.equal(rows[0]!.sum, 50 * 50 + (49 * 50) / 2);

      first.child.kill("SIGTERM");
      assert.equal(await first.exited, 0, first.out.stderr);
      running = undefined;

      // Messages published while it is down wait in the broker's session and arrive on the next start.
      await publish("demo-tower-2-sensor", {
        time: new Date(t0 + 3_600_000).toISOString(),
        readings: [{ metric: "humidity", value: 1 }],
      });
      const second = start(["--client-id", clientId, "--topic-prefix", prefix], env);
      running = second.child;
      await waitFor(
        "the reading published while stopped",
        async () => (await count(db.pool, "Reading")) === 101,
        60_000,
      );
      second.child.kill("SIGTERM");
      assert.equal(await second.exited, 0, second.out.stderr);
      running = undefined;
      assert.equal(await count(db.pool, "Reading"), 101);
    } finally {
      running?.kill("SIGKILL");
      await publisher.endAsync();
      await discardSession(TEST_MQTT_URL, clientId);
      await db.drop();
    }
  },
);
