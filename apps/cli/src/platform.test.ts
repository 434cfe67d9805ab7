// startPlatform with no MQTT_URL: the embedded broker and the ingester come up with the API, a
// published reading lands in PostgreSQL, and the ingester's metrics are served on /metrics.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase } from "@gridfill/db";
import {
  DEMO_METRICS,
  credentialedDemoDevices,
  seedDemoAssets,
  startSimulator,
} from "@gridfill/iot";
import { startPlatform } from "./platform.ts";

test(
  "the embedded broker ingests a published reading within seconds",
  { timeout: 60_000 },
  async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gridfill-platform-"));
    try {
      await seedDemoAssets(db.prisma);
      const config = loadConfig({
        DATABASE_URL: db.url,
        HOST: "127.0.0.1",
        PORT: "0",
        GRIDFILL_DATA_DIR: dataDir,
        GRIDFILL_SEED_DEMO: "0",
        GRIDFILL_LOG_LEVEL: "error",
      });
      const platform = await startPlatform({ config, web: false });
      try {
        assert.ok(platform.embedded.mqtt);
        assert.match(platform.mqttUrl, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
        // One message now (the first tick is immediate), none after within the test.
        const sensor = (await credentialedDemoDevices(db.prisma)).find(
          (d) => d.name === "demo-tower-1-sensor",
        )!;
        const simulator = await startSimulator({
          mqttUrl: platform.mqttUrl,
          protocolVersion: 4,
          devices: [{ ...sensor, metrics: [DEMO_METRICS.humidity] }],
          intervalMs: 600_000,
        });
        const deadline = Date.now() + 5000;
        let rows: { value: number }[] = [];
        try {
          while (Date.now() < deadline) {
            ({ rows } = await db.pool.query<{ value: number }>(
              `SELECT r.value FROM "Reading" r JOIN "Device" d ON d.id = r."deviceId" WHERE d.name = 'demo-tower-1-sensor'`,
            ));
            if (rows.length) break;
            await new Promise((r) => setTimeout(r, 50));
          }
        } finally {
          await simulator.stop();
        }
        assert.equal(rows.length, 1, "the simulator's reading was stored");
        assert.ok(rows[0]!.value >= 0 && rows[0]!.value <= 100);
        const metrics = await (await fetch(`${platform.apiUrl}/metrics`)).text();
        assert.match(
          metrics,
          /^gridfill_iot_readings_total 1$/m,
          "the ingester's metrics are on the API's /metrics",
        );
        assert.match(
          metrics,
          /^# TYPE gridfill_graphql_operations_total counter$/m,
          "beside the API's own",
        );
      } finally {
        await platform.stop();
      }
    } finally {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
