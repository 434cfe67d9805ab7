// The embedded broker as an attacker meets it: real MQTT clients against startEmbeddedBroker, with
// the ingester writing to a real PostgreSQL.
import { test } from "node:test";
import assert from "node:assert/strict";
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";
import { createTestDatabase } from "@gridfill/db";
import type { TestDatabase } from "@gridfill/db";
import { startEmbeddedBroker } from "./broker.ts";
import type { EmbeddedBroker } from "./broker.ts";
import { startIngester } from "./ingester.ts";
import type { Ingester } from "./ingester.ts";
import { credentialedDemoDevices, seedDemoAssets } from "./simulator.ts";
import { telemetryTopic } from "./payload.ts";
import { INGESTER_IDENTITY } from "./credentials.ts";
import { waitFor } from "./fixtures.ts";

interface Setup {
  db: TestDatabase;
  broker: EmbeddedBroker;
  ingester: Ingester;
  /** Demo device name → its MQTT secret. */
  secrets: Map<string, string>;
}

async function withBroker(run: (setup: Setup) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const broker = await startEmbeddedBroker({ pool: db.pool });
  let ingester: Ingester | undefined;
  try {
    await seedDemoAssets(db.prisma, { plausibleRanges: true });
    const devices = await credentialedDemoDevices(db.prisma);
    ingester = await startIngester({
      mqttUrl: broker.url,
      protocolVersion: broker.protocolVersion,
      pool: db.pool,
      clientId: INGESTER_IDENTITY,
      ...broker.ingester,
      // Rows stay in the default partition: moving them into a new monthly partition while the
      // test counts them is a race of its own (partitions.ts), not what is tested here.
      maintainPartitions: false,
    });
    await run({ db, broker, ingester, secrets: new Map(devices.map((d) => [d.name, d.secret!])) });
  } finally {
    await ingester?.stop();
    await broker.stop();
    await db.drop();
  }
}

function connect(url: string, options: mqtt.IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
}

function asDevice(setup: Setup, device: string): Promise<MqttClient> {
  return connect(setup.broker.url, {
    clientId: device,
    username: device,
    password: setup.secrets.get(device)!,
  });
}

/** Resolves once the client's connection is gone. */
function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => (client.connected ? client.once("close", resolve) : resolve()));
}

async function count(db: TestDatabase, sql: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(sql);
  return Number(rows[0]!.n);
}

const reading = (metric: string, value: number, unit: string) =>
  JSON.stringify({ readings: [{ metric, value, unit, time: Date.now() - 1000 }] });

test(
  "a client without a device's name and secret cannot connect",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      await assert.rejects(
        connect(setup.broker.url, { clientId: "anonymous" }),
        /Bad username or password|Not authorized/,
      );
      await assert.rejects(
        connect(setup.broker.url, {
          clientId: "demo-tower-1-sensor",
          username: "demo-tower-1-sensor",
          password: "guessed",
        }),
        /Bad username or password/,
      );
      // Another device's name as client id: refused, so no device takes over another's session.
      await assert.rejects(
        connect(setup.broker.url, {
          clientId: "demo-tower-2-sensor",
          username: "demo-tower-1-sensor",
          password: setup.secrets.get("demo-tower-1-sensor")!,
        }),
        /Not authorized/,
      );
    });
  },
);

test(
  "nobody but the ingester can take the ingester's client id, so no reading is lost",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      for (const login of [
        {},
        { username: INGESTER_IDENTITY, password: "guessed" },
        { username: "demo-tower-1-sensor", password: setup.secrets.get("demo-tower-1-sensor")! },
      ])
        await assert.rejects(connect(setup.broker.url, { clientId: INGESTER_IDENTITY, ...login }));
      const device = await asDevice(setup, "demo-tower-1-sensor");
      try {
        for (let i = 0; i < 2; i++)
          await device.publishAsync(
            telemetryTopic("demo-tower-1-sensor"),
            reading("temperature", 20 + i, "°C"),
            { qos: 1 },
          );
        await waitFor(
          "both readings",
          async () => (await count(setup.db, `SELECT count(*) AS n FROM "Reading"`)) === 2,
        );
      } finally {
        await device.endAsync();
      }
    });
  },
);

test(
  "a device publishes only to its own topic and cannot subscribe",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      const device = await asDevice(setup, "demo-tower-1-sensor");
      await assert.rejects(device.subscribeAsync("#", { qos: 1 }), /Subscribe error/);
      const gone = closed(device);
      device.publish(telemetryTopic("demo-tower-2-sensor"), reading("temperature", 21, "°C"), {
        qos: 1,
      });
      await gone; // the broker drops a client that publishes where it may not
      const other = await asDevice(setup, "demo-tower-2-sensor");
      try {
        await other.publishAsync(
          telemetryTopic("demo-tower-2-sensor"),
          reading("humidity", 60, "%"),
          { qos: 1 },
        );
        await waitFor(
          "the device's own reading",
          async () => (await count(setup.db, `SELECT count(*) AS n FROM "Reading"`)) === 1,
        );
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await count(setup.db, `SELECT count(*) AS n FROM "Reading"`), 1);
        assert.equal(await count(setup.db, `SELECT count(*) AS n FROM "DeadLetter"`), 0);
      } finally {
        await other.endAsync();
        device.end(true);
      }
    });
  },
);

test(
  "the broker cuts a client that sends a packet over its limit",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      const device = await asDevice(setup, "demo-tower-1-sensor");
      const gone = closed(device);
      device.publish(telemetryTopic("demo-tower-1-sensor"), Buffer.alloc(8 << 20, 0x20), {
        qos: 1,
      });
      await gone;
      device.end(true);
      assert.equal(await count(setup.db, `SELECT count(*) AS n FROM "DeadLetter"`), 0);
    });
  },
);

test(
  "readings outside a metric's plausible range are dead letters",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      const device = await asDevice(setup, "demo-tower-1-sensor");
      try {
        await device.publishAsync(
          telemetryTopic("demo-tower-1-sensor"),
          reading("temperature", -273, "°C"),
          { qos: 1 },
        );
        await waitFor(
          "the dead letter",
          async () => (await count(setup.db, `SELECT count(*) AS n FROM "DeadLetter"`)) === 1,
        );
        const { rows } = await setup.db.pool.query<{ reason: string }>(
          `SELECT reason FROM "DeadLetter"`,
        );
        assert.match(rows[0]!.reason, /^OUT_OF_RANGE: temperature -273 is below -60/);
        assert.equal(await count(setup.db, `SELECT count(*) AS n FROM "Reading"`), 0);
      } finally {
        await device.endAsync();
      }
    });
  },
);

test(
  "a device flooding bad messages writes at most its dead-letter burst",
  { timeout: 30_000 },
  async () => {
    await withBroker(async (setup) => {
      const device = await asDevice(setup, "demo-tower-1-sensor");
      try {
        const started = Date.now();
        await Promise.all(
          Array.from({ length: 500 }, () =>
            device.publishAsync(telemetryTopic("demo-tower-1-sensor"), "not json", { qos: 1 }),
          ),
        );
        await waitFor("every message handled", () => {
          const s = setup.ingester.metrics.snapshot();
          return (s.deadLetters.NOT_JSON ?? 0) + s.deadLettersDropped === 500;
        });
        // Burst 20, then one per second for as long as the flood lasted.
        const allowed = 20 + Math.ceil((Date.now() - started) / 1000);
        await setup.ingester.stop();
        const stored = await count(setup.db, `SELECT count(*) AS n FROM "DeadLetter"`);
        assert.ok(
          stored >= 20 && stored <= allowed,
          `${stored} dead letters stored, ${allowed} allowed`,
        );
      } finally {
        await device.endAsync();
      }
    });
  },
);
