// End to end against a real broker (Mosquitto, or MQTT_TEST_URL) and a real PostgreSQL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createTestDatabase, readingPartitionName } from "@gridfill/db";
import type { TestDatabase } from "@gridfill/db";
import type { MqttClient } from "mqtt";
import { startIngester } from "./ingester.ts";
import type { Ingester } from "./ingester.ts";
import net from "node:net";
import { Aedes } from "aedes";
import { startEmbeddedBroker } from "./broker.ts";
import mqtt from "mqtt";
import { credentialedDemoDevices, seedDemoAssets } from "./simulator.ts";
import { INGESTER_IDENTITY } from "./credentials.ts";
import { telemetryTopic } from "./payload.ts";
import {
  message,
  SENSORS,
  TEST_MQTT_URL,
  brokerUnavailable,
  connectPublisher,
  discardSession,
  privateTopicPrefix,
  waitFor,
} from "./fixtures.ts";

const skip = await brokerUnavailable();

async function readingStats(
  db: TestDatabase,
): Promise<{ count: number; sum: number; minTime: number; maxTime: number }> {
  const { rows } = await db.pool.query<{
    count: string;
    sum: number | null;
    min: Date | null;
    max: Date | null;
  }>(
    `SELECT count(*) AS count, sum(value) AS sum, min(time) AS min, max(time) AS max FROM "Reading"`,
  );
  const r = rows[0]!;
  return {
    count: Number(r.count),
    sum: r.sum ?? 0,
    minTime: r.min?.getTime() ?? 0,
    maxTime: r.max?.getTime() ?? 0,
  };
}

async function count(db: TestDatabase, table: "Reading" | "DeadLetter"): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
  return Number(rows[0]!.n);
}

async function withSetup(
  run: (ctx: {
    db: TestDatabase;
    prefix: string;
    clientId: string;
    publisher: MqttClient;
  }) => Promise<void>,
): Promise<void> {
  const db = await createTestDatabase();
  const clientId = `gridfill-ingester-test-${randomUUID().slice(0, 8)}`;
  const publisher = await connectPublisher(TEST_MQTT_URL);
  try {
    await seedDemoAssets(db.prisma);
    await run({ db, prefix: privateTopicPrefix(), clientId, publisher });
  } finally {
    await publisher.endAsync();
    await discardSession(TEST_MQTT_URL, clientId).catch(() => {});
    await db.drop();
  }
}

test(
  "10,000 readings published over MQTT are each stored exactly once",
  { skip, timeout: 60_000 },
  async (t) => {
    await withSetup(async ({ db, prefix, clientId, publisher }) => {
      const ingester = await startIngester({
        mqttUrl: TEST_MQTT_URL,
        pool: db.pool,
        clientId,
        topicPrefix: prefix,
      });
      try {
        // Started, the ingester has made sure of this month's and the next month's partitions.
        const now = new Date();
        const months = [0, 1].map((k) => {
          const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
          return readingPartitionName(month.getUTCFullYear(), month.getUTCMonth() + 1);
        });
        const { rows } = await db.pool.query<{ name: string }>(
          `SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY 1`,
          [months],
        );
        assert.deepEqual(
          rows.map((r) => r.name),
          months,
        );
        const t0 = Date.now() - 3_600_000;
        await Promise.all(
          Array.from({ length: 1000 }, (_, i) => {
            const m = message(i, t0);
            return publisher.publishAsync(telemetryTopic(m.device, prefix), m.payload, { qos: 1 });
          }),
        );
        await waitFor("10,000 readings", async () => (await count(db, "Reading")) >= 10_000);
        // Anything still arriving would show up as an excess.
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(await readingStats(db), {
          count: 10_000,
          sum: (9999 * 10_000) / 2,
          minTime: t0,
          maxTime: t0 + 9999,
        });
        assert.equal(await count(db, "DeadLetter"), 0);

        const snapshot = ingester.metrics.snapshot();
        assert.equal(snapshot.readings, 10_000);
        assert.equal(snapshot.messages, 1000);
        assert.ok(snapshot.flushes >= 1 && snapshot.lagMs.max > 0);
        const exposition = await ingester.metrics.registry.metrics();
        assert.match(exposition, /^gridfill_iot_readings_total 10000$/m);
        t.diagnostic(
          `${snapshot.flushes} flushes, mean flush ${snapshot.flushLatencyMs.mean.toFixed(1)} ms, mean lag ${snapshot.lagMs.mean.toFixed(1)} ms`,
        );
      } finally {
        await ingester.stop();
      }
    });
  },
);

test(
  "a connection dropped without acknowledgements gets its committed messages redelivered, and none is stored twice",
  { skip, timeout: 60_000 },
  async (t) => {
    await withSetup(async ({ db, prefix, clientId, publisher }) => {
      const options = { mqttUrl: TEST_MQTT_URL, pool: db.pool, clientId, topicPrefix: prefix };
      const first = await startIngester(options);
      let second: Ingester | undefined;
      const t0 = Date.now() - 3_600_000;
      try {
        const publishing = (async () => {
          const pending: Promise<unknown>[] = [];
          for (let i = 0; i < 400; i++) {
            const m = message(i, t0);
            pending.push(
              publisher.publishAsync(telemetryTopic(m.device, prefix), m.payload, { qos: 1 }),
            );
            if (i % 20 === 19) await new Promise((r) => setTimeout(r, 30));
          }
          await Promise.all(pending);
        })();
        // abort() drops the MQTT connection at once but lets the writer commit what it holds: those
        // messages are stored and never acknowledged, so the broker must hand them out again.
        await waitFor(
          "messages in flight",
          () => first.metrics.snapshot().messages >= 100 && first.metrics.snapshot().unacked > 0,
          30_000,
          1,
        );
        await first.abort();
        second = await startIngester(options);
        await publishing;
        await waitFor("4,000 readings", async () => (await count(db, "Reading")) >= 4000, 30_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(await readingStats(db), {
          count: 4000,
          sum: (3999 * 4000) / 2,
          minTime: t0,
          maxTime: t0 + 3999,
        });
        const redelivered =
          first.metrics.snapshot().messages + second.metrics.snapshot().messages - 400;
        assert.ok(redelivered > 0, "some committed messages were delivered again");
        t.diagnostic(
          `${redelivered} messages delivered twice; ${second.metrics.snapshot().stagedFlushes} flushes took the ON CONFLICT path`,
        );
      } finally {
        await first.abort();
        await second?.stop();
      }
    });
  },
);

test(
  "every kind of bad message lands in DeadLetter with its reason, and good ones still flow",
  { skip, timeout: 60_000 },
  async () => {
    await withSetup(async ({ db, prefix, clientId, publisher }) => {
      const ingester = await startIngester({
        mqttUrl: TEST_MQTT_URL,
        pool: db.pool,
        clientId,
        topicPrefix: prefix,
        maxPayloadBytes: 4096,
        registryRefreshMs: 100,
      });
      try {
        const sensor = telemetryTopic("demo-tower-1-sensor", prefix);
        const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
        const bad: Array<[string, string, string]> = [
          ["NOT_JSON", sensor, "{oops"],
          ["NOT_JSON", sensor, "\u0000\u0001 binary"],
          ["SCHEMA", sensor, '{"readings":[{"metric":"humidity"}]}'],
          ["SCHEMA", sensor, '{"metric":"humidity","value":"NaN"}'],
          ["NOT_FINITE", sensor, '{"metric":"humidity","value":1e999,"unit":"%"}'],
          [
            "FUTURE_TIMESTAMP",
            sensor,
            JSON.stringify({ metric: "humidity", value: 70, time: inAnHour }),
          ],
          ["UNKNOWN_DEVICE", telemetryTopic("nobody", prefix), '{"metric":"humidity","value":70}'],
          ["UNKNOWN_METRIC", sensor, '{"metric":"pressure","value":1013,"unit":"hPa"}'],
          ["WRONG_UNIT", sensor, '{"metric":"humidity","value":70,"unit":"percent"}'],
          [
            "TOO_LARGE",
            sensor,
            JSON.stringify({ metric: "humidity", value: 70, note: "x".repeat(5000) }),
          ],
        ];
        for (const [, topic, payload] of bad)
          await publisher.publishAsync(topic, payload, { qos: 1 });
        // A device registered after start is found by the refresh that follows the miss.
        await db.prisma.device.create({ data: { name: "late-sensor", kind: "SENSOR" } });
        await publisher.publishAsync(
          telemetryTopic("late-sensor", prefix),
          '{"metric":"humidity","value":55.5,"unit":"%"}',
          { qos: 1 },
        );

        await waitFor(
          "dead letters and the good reading",
          async () =>
            (await count(db, "DeadLetter")) >= bad.length && (await count(db, "Reading")) >= 1,
        );
        const { rows } = await db.pool.query<{
          code: string;
          source: string;
          topic: string;
          payload: string;
          reason: string;
        }>(
          `SELECT split_part(reason, ':', 1) AS code, source, topic, payload, reason FROM "DeadLetter" ORDER BY id`,
        );
        assert.deepEqual(rows.map((r) => r.code).sort(), bad.map(([code]) => code).sort());
        assert.ok(rows.every((r) => r.source === "mqtt"));
        const unknown = rows.find((r) => r.code === "UNKNOWN_DEVICE")!;
        assert.equal(unknown.topic, telemetryTopic("nobody", prefix));
        assert.match(unknown.reason, /nobody/);
        assert.equal(
          rows.find((r) => r.code === "WRONG_UNIT")!.payload,
          '{"metric":"humidity","value":70,"unit":"percent"}',
        );
        assert.ok(
          rows.some((r) => r.payload === "\uFFFD\u0001 binary"),
          "NUL bytes are replaced, not refused",
        );
        assert.deepEqual(ingester.metrics.snapshot().deadLetters, {
          NOT_JSON: 2,
          SCHEMA: 2,
          NOT_FINITE: 1,
          FUTURE_TIMESTAMP: 1,
          UNKNOWN_DEVICE: 1,
          UNKNOWN_METRIC: 1,
          WRONG_UNIT: 1,
          TOO_LARGE: 1,
        });

        const stored = await db.pool.query<{ name: string; value: number }>(
          `SELECT d.name, r.value FROM "Reading" r JOIN "Device" d ON d.id = r."deviceId"`,
        );
        assert.deepEqual(stored.rows, [{ name: "late-sensor", value: 55.5 }]);
      } finally {
        await ingester.stop();
      }
    });
  },
);

test("the embedded broker carries telemetry end to end", { timeout: 60_000 }, async () => {
  const db = await createTestDatabase();
  const broker = await startEmbeddedBroker({ pool: db.pool });
  try {
    await seedDemoAssets(db.prisma);
    const ingester = await startIngester({
      mqttUrl: broker.url,
      protocolVersion: broker.protocolVersion,
      pool: db.pool,
      clientId: INGESTER_IDENTITY,
      ...broker.ingester,
    });
    // Each sensor logs in as itself: the broker lets a device publish only to its own topic.
    const sensors = (await credentialedDemoDevices(db.prisma)).filter((d) =>
      SENSORS.includes(d.name),
    );
    const publishers = new Map(
      await Promise.all(
        sensors.map(
          async (d) =>
            [
              d.name,
              await mqtt.connectAsync(broker.url, {
                clientId: d.name,
                username: d.name,
                password: d.secret!,
                protocolVersion: 4,
                reconnectPeriod: 0,
              }),
            ] as const,
        ),
      ),
    );
    try {
      const t0 = Date.now() - 60_000;
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const m = message(i, t0);
          return publishers
            .get(m.device)!
            .publishAsync(telemetryTopic(m.device), m.payload, { qos: 1 });
        }),
      );
      await waitFor("2,000 readings", async () => (await count(db, "Reading")) >= 2000);
      assert.deepEqual(await readingStats(db), {
        count: 2000,
        sum: (1999 * 2000) / 2,
        minTime: t0,
        maxTime: t0 + 1999,
      });
    } finally {
      await Promise.all([...publishers.values()].map((p) => p.endAsync()));
      await ingester.stop();
    }
  } finally {
    await broker.stop();
    await db.drop();
  }
});

test(
  "a message is acknowledged to the broker only after its readings have committed",
  { timeout: 60_000 },
  async () => {
    // aedes tells us when a PUBACK arrives, which Mosquitto does not.
    const broker = await Aedes.createBroker();
    const server = net.createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const acks: number[] = [];
    broker.on("ack", (packet, client) => {
      if (client?.id === "gridfill-ingester" && packet.cmd === "publish") acks.push(Date.now());
    });
    const db = await createTestDatabase();
    const blocker = await db.pool.connect();
    try {
      await seedDemoAssets(db.prisma);
      let committedAt = 0;
      const ingester = await startIngester({
        mqttUrl: url,
        protocolVersion: 4,
        pool: db.pool,
        clientId: "gridfill-ingester",
        maintainPartitions: false,
        onCommit: (m) => (committedAt = m.committedAt),
      });
      const publisher = await connectPublisher(url, 4);
      try {
        // Hold the table so the write cannot commit yet.
        await blocker.query(`BEGIN; LOCK TABLE "Reading" IN ACCESS EXCLUSIVE MODE`);
        await publisher.publishAsync(
          telemetryTopic("demo-tower-1-sensor"),
          '{"metric":"humidity","value":61,"unit":"%"}',
          { qos: 1 },
        );
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(acks.length, 0, "no PUBACK while the write is blocked");
        assert.equal(ingester.metrics.snapshot().unacked, 1);
        await blocker.query("ROLLBACK");
        await waitFor("the PUBACK", () => acks.length === 1);
        assert.ok(committedAt > 0 && acks[0]! >= committedAt, "the PUBACK follows the COMMIT");
        assert.equal(await count(db, "Reading"), 1);
      } finally {
        await blocker.query("ROLLBACK").catch(() => {}); // before stop(), which waits for the write
        await publisher.endAsync();
        await ingester.stop();
      }
    } finally {
      blocker.release();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
      await db.drop();
    }
  },
);

test(
  "a deleted device stops being accepted once the registry reloads, and what it stored meanwhile is deleted",
  { skip, timeout: 60_000 },
  async () => {
    await withSetup(async ({ db, prefix, clientId, publisher }) => {
      const ingester = await startIngester({
        mqttUrl: TEST_MQTT_URL,
        pool: db.pool,
        clientId,
        topicPrefix: prefix,
        registryReloadMs: 100,
      });
      try {
        const topic = telemetryTopic("demo-tower-3-sensor", prefix);
        const t0 = Date.now() - 3_600_000;
        await publisher.publishAsync(
          topic,
          JSON.stringify({ metric: "humidity", value: 1, time: t0 }),
          { qos: 1 },
        );
        await waitFor("the first reading", async () => (await count(db, "Reading")) === 1);
        const { rows: gone } = await db.pool.query<{ id: string }>(
          `DELETE FROM "Device" WHERE name = 'demo-tower-3-sensor' RETURNING id::text AS id`,
        );
        const readingsOf = async () =>
          Number(
            (
              await db.pool.query<{ n: string }>(
                `SELECT count(*) AS n FROM "Reading" WHERE "deviceId" = $1`,
                [gone[0]!.id],
              )
            ).rows[0]!.n,
          );
        // Keep publishing until the ingester refuses the device: it must, without a restart.
        let i = 1;
        await waitFor("UNKNOWN_DEVICE for the deleted device", async () => {
          await publisher.publishAsync(
            topic,
            JSON.stringify({ metric: "humidity", value: 1, time: t0 + i++ }),
            { qos: 1 },
          );
          const { rows } = await db.pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM "DeadLetter" WHERE reason LIKE 'UNKNOWN_DEVICE:%'`,
          );
          return Number(rows[0]!.n) > 0;
        });
        // "Reading" has no foreign keys: the ingester deletes what it stored before the reload.
        await waitFor(
          "the removed device's readings to be deleted",
          async () => (await readingsOf()) === 0,
        );
        assert.equal(await count(db, "Reading"), 0);
      } finally {
        await ingester.stop();
      }
    });
  },
);
