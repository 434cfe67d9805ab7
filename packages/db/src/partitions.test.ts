import { test } from "node:test";
import assert from "node:assert/strict";
import { dropReadingsBefore, ensureReadingPartitions, readingPartitionName } from "./partitions.ts";
import { createTestDatabase } from "./testing.ts";

test("Reading is range-partitioned by time, and ensureReadingPartitions is idempotent", async () => {
  const db = await createTestDatabase();
  try {
    const { rows: parted } = await db.pool.query<{ strategy: string; key: string }>(
      `SELECT p.partstrat AS strategy, a.attname AS key
         FROM pg_partitioned_table p
         JOIN pg_class c ON c.oid = p.partrelid
         JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE c.relname = 'Reading'`,
    );
    assert.deepEqual(parted, [{ strategy: "r", key: "time" }]);

    const metric = await db.prisma.metric.create({ data: { name: "line_current", unit: "A" } });
    const device = await db.prisma.device.create({ data: { name: "sensor-1", kind: "SENSOR" } });
    // A reading for a month with no partition yet lands in the default partition.
    await db.prisma.reading.create({
      data: {
        deviceId: device.id,
        metricId: metric.id,
        time: new Date("2031-02-10T12:00:00Z"),
        value: 1.5,
      },
    });

    const created = await ensureReadingPartitions(db.pool, new Date("2031-01-20T00:00:00Z"), 3);
    assert.deepEqual(created, [
      readingPartitionName(2031, 1),
      readingPartitionName(2031, 2),
      readingPartitionName(2031, 3),
    ]);
    assert.deepEqual(
      await ensureReadingPartitions(db.pool, new Date("2031-01-01T00:00:00Z"), 3),
      [],
    );
    assert.deepEqual(await ensureReadingPartitions(db.pool, new Date("2031-03-31T23:59:59Z"), 2), [
      readingPartitionName(2031, 4),
    ]);

    // The stray row moved into its month's partition, and Prisma still sees it.
    const { rows: where } = await db.pool.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM "Reading"`,
    );
    assert.deepEqual(where, [{ part: `"${readingPartitionName(2031, 2)}"` }]);
    assert.equal(await db.prisma.reading.count({ where: { deviceId: device.id } }), 1);

    // Concurrent callers do not trip over each other.
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureReadingPartitions(db.pool, new Date("2032-01-01T00:00:00Z"), 2)),
    );
    assert.equal(results.flat().length, 2);

    // Rows in and out of the partitioned range are both accepted.
    await db.prisma.reading.createMany({
      data: [
        {
          deviceId: device.id,
          metricId: metric.id,
          time: new Date("2031-03-01T00:00:00Z"),
          value: 2,
        },
        {
          deviceId: device.id,
          metricId: metric.id,
          time: new Date("1999-01-01T00:00:00Z"),
          value: 3,
        },
      ],
    });
    // No foreign keys (ingest speed): the table takes any ids, the ingester checks names.
    const { rows: fkeys } = await db.pool.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = '"Reading"'::regclass AND contype = 'f'`,
    );
    assert.deepEqual(fkeys, []);
    assert.equal(await db.prisma.reading.count({ where: { deviceId: device.id } }), 3);
  } finally {
    await db.drop();
  }
});

test("retention drops whole months older than the cutoff and old rows of the default partition", async () => {
  const db = await createTestDatabase();
  try {
    const metric = await db.prisma.metric.create({ data: { name: "humidity", unit: "%" } });
    const device = await db.prisma.device.create({ data: { name: "sensor-r", kind: "SENSOR" } });
    await ensureReadingPartitions(db.pool, new Date("2030-01-01T00:00:00Z"), 3);
    const times = [
      "2029-06-01T00:00:00Z",
      "2030-01-15T00:00:00Z",
      "2030-02-20T00:00:00Z",
      "2030-03-05T00:00:00Z",
    ];
    await db.prisma.reading.createMany({
      data: times.map((t) => ({
        deviceId: device.id,
        metricId: metric.id,
        time: new Date(t),
        value: 1,
      })),
    });
    // Cutoff inside February: January goes whole, February stays (it still has rows inside the window).
    const result = await dropReadingsBefore(db.pool, new Date("2030-02-10T00:00:00Z"));
    assert.deepEqual(result, { dropped: [readingPartitionName(2030, 1)], deleted: 1 });
    const left = await db.prisma.reading.findMany({
      orderBy: { time: "asc" },
      select: { time: true },
    });
    assert.deepEqual(
      left.map((r) => r.time.toISOString()),
      ["2030-02-20T00:00:00.000Z", "2030-03-05T00:00:00.000Z"],
    );
    assert.deepEqual(await dropReadingsBefore(db.pool, new Date("2030-02-10T00:00:00Z")), {
      dropped: [],
      deleted: 0,
    });
  } finally {
    await db.drop();
  }
});
