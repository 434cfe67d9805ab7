import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@gridfill/db";
import { importReadingsCsv } from "./csv.ts";
import { seedDemoAssets } from "./simulator.ts";

test(
  "a CSV import stores good rows, dead-letters bad ones with their line, and is idempotent",
  { timeout: 60_000 },
  async () => {
    const db = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), "gridfill-csv-"));
    try {
      await seedDemoAssets(db.prisma);
      const good = Array.from(
        { length: 1200 },
        (_, i) =>
          `demo-tower-2-sensor,humidity,${new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString()},${(60 + (i % 30)).toFixed(1)},%`,
      );
      const csv = [
        "device,metric,time,value,unit",
        ...good.slice(0, 600),
        "demo-tower-2-sensor,humidity,2025-06-01T00:00:00Z,wet,%", // SCHEMA
        "demo-tower-2-sensor,humidity,2025-06-01T00:00:00Z,NaN", // NOT_FINITE
        "demo-tower-9-sensor,humidity,2025-06-01T00:00:00Z,60", // UNKNOWN_DEVICE
        "demo-tower-2-sensor,salinity,2025-06-01T00:00:00Z,60", // UNKNOWN_METRIC
        "demo-tower-2-sensor,humidity,2025-06-01T00:00:00Z,60,g/m3", // WRONG_UNIT
        "demo-tower-2-sensor,humidity,2999-01-01T00:00:00Z,60", // FUTURE_TIMESTAMP
        "demo-tower-2-sensor,humidity,2025-06-01T00:00:00Z", // SCHEMA (3 fields)
        "",
        ...good.slice(600),
        '"demo-tower-1-meter","voltage","1748736000000","110.2","kV"', // quoted, epoch ms
      ].join("\r\n");
      const file = join(dir, "june.csv");
      await writeFile(file, csv);

      const first = await importReadingsCsv({ pool: db.pool, input: file, batchRows: 500 });
      assert.deepEqual(first, {
        rows: 1208,
        stored: 1201,
        duplicates: 0,
        deadLetters: {
          SCHEMA: 2,
          NOT_FINITE: 1,
          UNKNOWN_DEVICE: 1,
          UNKNOWN_METRIC: 1,
          WRONG_UNIT: 1,
          FUTURE_TIMESTAMP: 1,
        },
      });
      const { rows } = await db.pool.query<{ source: string; payload: string; reason: string }>(
        `SELECT source, payload, reason FROM "DeadLetter" ORDER BY id`,
      );
      assert.equal(rows.length, 7);
      assert.ok(rows.every((r) => r.source === "csv:june.csv"));
      assert.deepEqual(rows[0], {
        source: "csv:june.csv",
        payload: "demo-tower-2-sensor,humidity,2025-06-01T00:00:00Z,wet,%",
        reason: 'SCHEMA: line 602: value "wet" is not a number',
      });

      // The same rows again, from a stream: nothing new is stored.
      const second = await importReadingsCsv({
        pool: db.pool,
        input: Readable.from([good.join("\n")]),
        name: "june-again",
      });
      assert.deepEqual(second, { rows: 1200, stored: 0, duplicates: 1200, deadLetters: {} });
      const total = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Reading"`);
      assert.equal(Number(total.rows[0]!.n), 1201);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    }
  },
);
