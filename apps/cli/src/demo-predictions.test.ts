// The prediction runs shipped for the demo import whole onto the demo's test split: every image
// name is one of its TEST scenes, every class one of its classes, every box inside its image.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { openFolder, readPredictions } from "../../../packages/formats/src/index.ts";
import { DEFECT_CLASSES, INSULATOR_CLASS } from "@gridfill/scenes";
import { importPredictionTable } from "@gridfill/core/predictions/import.ts";

const RUNS = path.resolve(import.meta.dirname, "../demo-predictions");

let db: TestDatabase;
let datasetId: string;

before(async () => {
  db = await createTestDatabase();
  datasetId = (await db.prisma.dataset.create({ data: { name: "demo-insulators" } })).id;
  for (const c of [...DEFECT_CLASSES, INSULATOR_CLASS]) {
    await db.prisma.defectClass.create({ data: { datasetId, name: c.name } });
  }
  // The demo seed's first 60 scenes, 640×480; every tenth pair is TEST (apps/cli/src/demo-seed.ts).
  for (let i = 0; i < 60; i++) {
    await db.prisma.image.create({
      data: {
        datasetId,
        sha256: String(i).padStart(64, "0"),
        objectKey: `demo/${i}.png`,
        mimeType: "image/png",
        width: 640,
        height: 480,
        bytes: 1,
        filename: `scene-${String(i).padStart(3, "0")}.png`,
        split: i % 10 >= 8 ? "TEST" : i % 10 === 7 ? "VAL" : "TRAIN",
      },
    });
  }
});

after(async () => {
  await db?.drop();
});

for (const run of readdirSync(RUNS, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  test(`the demo run ${run.name} imports onto the demo's test split with nothing refused`, async () => {
    const file = await readPredictions(openFolder(path.join(RUNS, run.name)), "COCO");
    assert.deepEqual(file.errors, []);
    const version = await db.prisma.datasetVersion.upsert({
      where: { datasetId_number: { datasetId, number: 1 } },
      create: { datasetId, number: 1, manifestKey: "m", manifestSha256: "0", images: 60, boxes: 0 },
      update: {},
    });
    const stored = await db.prisma.predictionRun.create({
      data: { datasetId, versionId: version.id, split: "TEST", source: "IMPORT", name: run.name },
    });
    const summary = await importPredictionTable(db, stored, file.table);
    assert.equal(summary.status, "SUCCEEDED", JSON.stringify(summary.errors.slice(0, 3)));
    assert.deepEqual(summary.unknownImages, []);
    assert.equal(summary.predictions, file.table.image.length);
  });
}
