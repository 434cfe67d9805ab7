// The demo as a newcomer meets it: after seedDemo (real PostgreSQL and S3 server), demo images have
// a capture time, a tower and a camera with readings around it, so the image context and the
// "Balance by sensor band" panels show data.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase } from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv } from "@gridfill/storage";
import { imageContext } from "@gridfill/core/iot/image-context.ts";
import { sensorBandBalance } from "@gridfill/core/iot/sensor-bands.ts";
import { seedDemoContext } from "@gridfill/core/iot/demo.ts";
import { DEMO_DATASET, seedDemo } from "./demo-seed.ts";

test(
  "the demo's images carry IoT context, so the sensor band panel has data",
  { timeout: 300_000 },
  async () => {
    const db = await createTestDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-demo-"));
    const s3 = await startEmbeddedS3({ directory: dir });
    try {
      const storage = new Storage(
        storageConfigFromEnv({
          S3_ENDPOINT: s3.endpoint,
          S3_ACCESS_KEY: s3.accessKey,
          S3_SECRET_KEY: s3.secretKey,
        }),
      );
      await storage.ensureBuckets();
      const config = loadConfig({ GRIDFILL_LOG_LEVEL: "error" });
      await seedDemo({ prisma: db.prisma, storage, config, log: () => {}, pool: db.pool });
      const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { name: DEMO_DATASET } });
      const images = await db.prisma.image.findMany({ where: { datasetId: dataset.id } });
      assert.ok(images.length >= 60);
      assert.deepEqual(
        images.filter((i) => !i.capturedAt || !i.towerId || !i.deviceId).map((i) => i.filename),
        [],
        "every demo image has a capture time, a tower and a camera",
      );

      // The earliest and the latest capture: readings must reach both, whatever the time of day.
      const byTime = images.toSorted((a, b) => a.capturedAt!.getTime() - b.capturedAt!.getTime());
      for (const image of [byTime[0]!, byTime.at(-1)!]) {
        const context = await imageContext(db.prisma, image, 30);
        assert.ok(context && context.series.length >= 5, "the image context panel has readings");
        assert.ok(
          context.series.every((s) => s.count >= 6),
          `${image.capturedAt!.toISOString()}: ${context.series.map((s) => s.count).join(",")}`,
        );
      }

      const bands = await sensorBandBalance(db.prisma, {
        datasetId: dataset.id,
        metric: "humidity",
        quantiles: 3,
      });
      assert.equal(bands.unmatched, 0, "every image has a humidity reading around its capture");
      assert.equal(bands.matched, images.length);
      assert.ok(
        bands.bands.every((b) => b.images > 0),
        JSON.stringify(bands.bands),
      );

      // Seeding again changes nothing.
      const again = await seedDemoContext(db.prisma, dataset.id);
      assert.equal(again.images, 0);
      assert.ok(again.readings <= 15, `at most one new tick per series, got ${again.readings}`);
    } finally {
      await s3.stop();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
