import { test } from "node:test";
import assert from "node:assert/strict";
import { createTestDatabase } from "./testing.ts";

test("createPrisma round-trips a Dataset row", async () => {
  const db = await createTestDatabase();
  try {
    const created = await db.prisma.dataset.create({
      data: { name: "insulators", description: "Porcelain insulators" },
    });
    const found = await db.prisma.dataset.findUniqueOrThrow({ where: { id: created.id } });
    assert.equal(found.name, "insulators");
    assert.equal(found.description, "Porcelain insulators");
    assert.equal(found.syntheticShareCap, 0.5);
    assert.equal(found.countPendingSynthetic, false);
    assert.ok(found.createdAt instanceof Date);
    const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM "Dataset"');
    assert.deepEqual(rows, [{ name: "insulators" }]);
  } finally {
    await db.drop();
  }
});
