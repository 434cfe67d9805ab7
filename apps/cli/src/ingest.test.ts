// `gridfill ingest` as an operator runs it: a process of its own, against Mosquitto (MQTT_TEST_URL,
// else 127.0.0.1:1883) and a real PostgreSQL database, stopped with SIGTERM or killed mid-stream.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { test } from "node:test";
import { createTestDatabase } from "@gridfill/db";
import { seedDemoAssets, startIngester, telemetryTopic, type Ingester } from "@gridfill/iot";
import {
  message,
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

test(
  "SIGKILLing gridfill ingest mid-stream and restarting with the same client id loses and duplicates nothing",
  { skip, timeout: 180_000 },
  async (t) => {
    const db = await createTestDatabase();
    await seedDemoAssets(db.prisma);
    const prefix = privateTopicPrefix();
    const clientId = `gridfill-cli-ingest-${randomUUID().slice(0, 8)}`;
    const publisher = await connectPublisher(TEST_MQTT_URL);
    // The first ingester is a process of its own, so the kill also takes its open transactions and
    // every message it received but had not yet acknowledged.
    const first = start(["--client-id", clientId, "--topic-prefix", prefix], {
      DATABASE_URL: db.url,
      MQTT_URL: TEST_MQTT_URL,
    });
    let second: Ingester | undefined;
    try {
      await Promise.race([
        waitFor(
          "the ingester to subscribe",
          () => first.out.stdout.includes("ingesting telemetry"),
          60_000,
        ),
        first.exited.then((code) => {
          throw new Error(`gridfill ingest exited early (${code}): ${first.out.stderr}`);
        }),
      ]);
      const t0 = Date.now() - 3_600_000;
      let sent = 0;
      const publishing = (async () => {
        const pending: Promise<unknown>[] = [];
        for (let i = 0; i < 1000; i++) {
          const m = message(i, t0);
          pending.push(
            publisher
              .publishAsync(telemetryTopic(m.device, prefix), m.payload, { qos: 1 })
              .then(() => sent++),
          );
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 40));
        }
        await Promise.all(pending);
      })();
      // Kill while messages are being received, committed and acknowledged.
      await waitFor(
        "the first commits",
        async () => (await count(db.pool, "Reading")) >= 2000,
        30_000,
        20,
      );
      first.child.kill("SIGKILL");
      const sentAtKill = sent;
      await first.exited;
      const storedAtKill = await count(db.pool, "Reading");
      assert.ok(storedAtKill < 10_000, "the kill came before everything was stored");
      await new Promise((r) => setTimeout(r, 200));
      second = await startIngester({
        mqttUrl: TEST_MQTT_URL,
        pool: db.pool,
        clientId,
        topicPrefix: prefix,
      });
      await publishing;
      await waitFor(
        "10,000 readings",
        async () => (await count(db.pool, "Reading")) >= 10_000,
        30_000,
      );
      // Anything still arriving would show up as an excess.
      await new Promise((r) => setTimeout(r, 300));
      const { rows } = await db.pool.query<{
        count: string;
        sum: number;
        min: Date;
        max: Date;
      }>(
        `SELECT count(*) AS count, sum(value) AS sum, min(time) AS min, max(time) AS max FROM "Reading"`,
      );
      assert.deepEqual(
        {
          count: Number(rows[0]!.count),
          sum: rows[0]!.sum,
          minTime: rows[0]!.min.getTime(),
          maxTime: rows[0]!.max.getTime(),
        },
        { count: 10_000, sum: (9999 * 10_000) / 2, minTime: t0, maxTime: t0 + 9999 },
      );
      assert.equal(await count(db.pool, "DeadLetter"), 0);
      const after = second.metrics.snapshot();
      // Messages the killed process had committed but not acknowledged come again: the restarted
      // ingester receives at least everything not stored at the kill.
      assert.ok(after.messages >= 1000 - storedAtKill / 10);
      const redelivered = after.messages - (1000 - storedAtKill / 10);
      t.diagnostic(
        `killed with ${storedAtKill} readings stored and ${sentAtKill} of 1000 messages sent; the restarted ingester got ${after.messages} messages, ${redelivered} of them already stored; ${after.stagedFlushes} flushes took the ON CONFLICT path`,
      );
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null)
        first.child.kill("SIGKILL");
      await second?.stop();
      await publisher.endAsync();
      await discardSession(TEST_MQTT_URL, clientId).catch(() => {});
      await db.drop();
    }
  },
);
