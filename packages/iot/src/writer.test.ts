import { test } from "node:test";
import assert from "node:assert/strict";
import { createTestDatabase } from "@gridfill/db";
import { ReadingWriter, WriteRejectedError } from "./writer.ts";
import type { FlushStats } from "./writer.ts";
import { seedDemoAssets } from "./simulator.ts";
import type { ResolvedReading } from "./payload.ts";

test(
  "the writer batches submissions, stores each reading once and commits dead letters with them",
  { timeout: 60_000 },
  async () => {
    const db = await createTestDatabase();
    try {
      const assets = await seedDemoAssets(db.prisma);
      const deviceId = assets.deviceIds["demo-tower-1-sensor"]!;
      const metricId = assets.metricIds["humidity"]!;
      const flushes: FlushStats[] = [];
      const writer = new ReadingWriter(db.pool, {
        maxRows: 100,
        maxDelayMs: 20,
        onFlush: (s) => flushes.push(s),
      });
      const t0 = Date.parse("2026-01-15T00:00:00Z");
      const batch = (from: number, n: number): ResolvedReading[] =>
        Array.from({ length: n }, (_, i) => ({
          deviceId,
          metricId,
          time: t0 + (from + i) * 1000,
          value: from + i + 0.25,
        }));

      // 30 submissions of 10: flushed by size (100 rows), never splitting a submission.
      const commits = await Promise.all(
        Array.from({ length: 30 }, (_, k) => writer.submit(batch(k * 10, 10))),
      );
      assert.ok(commits.every((c) => c.committedAt > 0));
      assert.ok(flushes.every((f) => f.rows <= 100));
      assert.equal(
        flushes.reduce((n, f) => n + f.inserted, 0),
        300,
      );

      // Redelivery of rows already stored, plus a dead letter in the same transaction.
      const again = await writer.submit(batch(0, 50), [
        {
          source: "mqtt",
          topic: "gridfill/x/telemetry",
          payload: "a\u0000b",
          reason: "NOT_JSON: test",
        },
      ]);
      assert.equal(again.flush.inserted, 0);
      assert.equal(again.flush.deadLetters, 1);

      const { rows } = await db.pool.query<{ n: string; sum: number }>(
        `SELECT count(*) AS n, sum(value) AS sum FROM "Reading"`,
      );
      assert.equal(Number(rows[0]!.n), 300);
      assert.equal(rows[0]!.sum, (299 * 300) / 2 + 300 * 0.25);
      const dead = await db.pool.query<{ payload: string }>(`SELECT payload FROM "DeadLetter"`);
      assert.deepEqual(dead.rows, [{ payload: "a\uFFFDb" }]);

      // A reading the database refuses (a time before 4713 BC) fails alone; its neighbours commit.
      const orphan = writer.submit([{ deviceId, metricId, time: -3e14, value: 1 }]);
      const fine = writer.submit(batch(1000, 5));
      await assert.rejects(orphan, WriteRejectedError);
      assert.equal((await fine).flush.inserted, 5);
      // settled(): everything submitted before the call has committed when it resolves.
      let committed = false;
      void writer.submit(batch(2000, 3)).then(() => (committed = true));
      await writer.settled();
      assert.equal(committed, true);
      await writer.close();
      await assert.rejects(writer.submit(batch(0, 1)), /closed/);
    } finally {
      await db.drop();
    }
  },
);
