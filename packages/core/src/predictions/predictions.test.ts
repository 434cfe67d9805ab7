// Prediction runs against a real PostgreSQL: import by COPY (or refusal with nothing written),
// evaluation of the stored run, the label-error queue and the decisions that move the counters.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import type { PredictionTable } from "@gridfill/formats";
import { createAnnotation } from "../annotations/service.ts";
import { DomainError } from "../errors.ts";
import { importPredictionTable } from "./import.ts";
import { evaluateRun, runLabelErrorCandidates, compareRuns } from "./service.ts";
import { acceptPrediction, decideCandidate } from "./decisions.ts";

let db: TestDatabase;
let datasetId: string;
let versionId: string;
const classes: Record<string, string> = {};
const images: { id: string; name: string }[] = [];
const curator = { id: "00000000-0000-7000-8000-000000000001", email: "curator@example.com" };

before(async () => {
  db = await createTestDatabase();
  const dataset = await db.prisma.dataset.create({ data: { name: "lines" } });
  datasetId = dataset.id;
  for (const name of ["insulator", "nest"]) {
    classes[name] = (await db.prisma.defectClass.create({ data: { datasetId, name } })).id;
  }
  for (let i = 0; i < 4; i++) {
    const image = await db.prisma.image.create({
      data: {
        datasetId,
        sha256: `${i}`.padStart(64, "0"),
        objectKey: `images/${i}.png`,
        mimeType: "image/png",
        width: 200,
        height: 100,
        bytes: 10,
        filename: `scene-${i}.png`,
        split: "TEST",
      },
    });
    images.push({ id: image.id, name: image.filename });
    // Two insulators per image, at the same places.
    for (const x of [10, 100]) {
      await createAnnotation(db.prisma, null, image.id, {
        classId: classes.insulator!,
        box: { x, y: 10, width: 40, height: 40 },
      });
    }
  }
  versionId = (
    await db.prisma.datasetVersion.create({
      data: { datasetId, number: 1, manifestKey: "m", manifestSha256: "0", images: 4, boxes: 8 },
    })
  ).id;
});

after(async () => {
  await db?.drop();
});

function table(
  rows: [string, string, number, number, number, number, number][],
  normalized = false,
): PredictionTable {
  return {
    normalized,
    image: rows.map((r) => r[0]),
    className: rows.map((r) => r[1]),
    x: rows.map((r) => r[2]),
    y: rows.map((r) => r[3]),
    width: rows.map((r) => r[4]),
    height: rows.map((r) => r[5]),
    score: rows.map((r) => r[6]),
  };
}

async function newRun(name: string) {
  return db.prisma.predictionRun.create({
    data: { datasetId, versionId, split: "TEST", source: "IMPORT", format: "COCO", name },
  });
}

const predictionCount = async (runId: string) => db.prisma.prediction.count({ where: { runId } });

async function counter(className: string) {
  const row = await db.prisma.classCounter.findFirst({
    where: { datasetId, classId: classes[className]!, split: "TEST", origin: "REAL" },
  });
  return { images: row?.images ?? 0, boxes: row?.boxes ?? 0 };
}

/** A detector that finds every insulator on scenes 0-2, misses scene 3, and sees a nest on scene 0. */
function detectorRows(): [string, string, number, number, number, number, number][] {
  const rows: [string, string, number, number, number, number, number][] = [];
  for (const i of [0, 1, 2]) {
    rows.push([`scene-${i}.png`, "insulator", 10, 10, 40, 40, 0.9 - i * 0.1]);
    rows.push([`scene-${i}.png`, "insulator", 101, 10, 40, 40, 0.85 - i * 0.1]);
  }
  rows.push(["scene-0.png", "nest", 150, 50, 30, 30, 0.95]);
  rows.push(["unknown.png", "insulator", 1, 1, 5, 5, 0.5]);
  return rows;
}

test("a run is written by COPY; unknown images are listed, not guessed", async () => {
  const run = await newRun("detector A");
  const summary = await importPredictionTable(db, run, table(detectorRows()));
  assert.equal(summary.status, "SUCCEEDED");
  assert.deepEqual(summary.unknownImages, ["unknown.png"]);
  assert.equal(await predictionCount(run.id), 7);
  const stored = await db.prisma.predictionRun.findUniqueOrThrow({ where: { id: run.id } });
  assert.equal(stored.status, "SUCCEEDED");
  assert.equal(stored.predictions, 7);
  assert.deepEqual(stored.unknownImages, ["unknown.png"]);
});

test("YOLO rows are scaled by the image's size and matched by stem", async () => {
  const run = await newRun("yolo");
  const summary = await importPredictionTable(
    db,
    run,
    table([["scene-1", "insulator", 0.05, 0.1, 0.2, 0.4, 0.7]], true),
  );
  assert.equal(summary.status, "SUCCEEDED");
  const [p] = await db.prisma.prediction.findMany({ where: { runId: run.id } });
  assert.deepEqual([p!.imageId, p!.x, p!.y, p!.width, p!.height], [images[1]!.id, 10, 10, 40, 40]);
});

test("boxes outside the image and unknown classes refuse the whole run, writing nothing", async () => {
  for (const [what, rows] of [
    ["out of bounds", [["scene-0.png", "insulator", 180, 10, 40, 40, 0.5]]],
    ["unknown class", [["scene-0.png", "bird", 10, 10, 40, 40, 0.5]]],
  ] as const) {
    const run = await newRun(what);
    const good: [string, string, number, number, number, number, number] = [
      "scene-1.png",
      "insulator",
      10,
      10,
      40,
      40,
      0.5,
    ];
    const summary = await importPredictionTable(
      db,
      run,
      table([good, ...rows.map((r) => [...r] as typeof good)]),
    );
    assert.equal(summary.status, "FAILED", what);
    assert.equal(await predictionCount(run.id), 0, what);
    const stored = await db.prisma.predictionRun.findUniqueOrThrow({ where: { id: run.id } });
    assert.equal(stored.status, "FAILED");
    const code = (stored.errors as { code: string }[])[0]!.code;
    assert.equal(code, what === "unknown class" ? "UNKNOWN_CATEGORY" : "BOX_OUT_OF_BOUNDS");
    assert.match(stored.message!, /nothing was written/);
  }
});

test("file errors refuse the run; a class map renames or drops classes", async () => {
  const refused = await newRun("file errors");
  const summary = await importPredictionTable(db, refused, table(detectorRows()), {
    fileErrors: [{ file: "results.json", code: "BAD_SCORE", message: "result 3: score 1.5" }],
  });
  assert.equal(summary.status, "FAILED");
  assert.equal(await predictionCount(refused.id), 0);

  const mapped = await newRun("mapped");
  const ok = await importPredictionTable(
    db,
    mapped,
    table([
      ["scene-0.png", "Insulator", 10, 10, 40, 40, 0.5],
      ["scene-0.png", "tower", 10, 10, 40, 40, 0.5],
    ]),
    { classMap: { Insulator: "insulator", tower: null } },
  );
  assert.equal(ok.status, "SUCCEEDED");
  assert.equal(await predictionCount(mapped.id), 1);
});

test("the stored run evaluates: AP, recall and the confusion matrix with background", async () => {
  const run = await db.prisma.predictionRun.findFirstOrThrow({ where: { name: "detector A" } });
  const evaluation = await evaluateRun(db, run.id, { iou: 0.5, confidence: 0.5 });
  const insulator = evaluation.classes[evaluation.classNames.indexOf("insulator")]!;
  assert.equal(insulator.truths, 8);
  assert.equal(insulator.truePositives, 6);
  assert.equal(insulator.recall, 6 / 8);
  // Precision 1 up to recall .75: 76 of the 101 recall points.
  assert.ok(Math.abs(insulator.ap50! - 76 / 101) < 1e-9);
  const nest = evaluation.classNames.indexOf("nest");
  const background = evaluation.classNames.length;
  assert.equal(evaluation.confusion[background]![nest], 1, "the nest is a background prediction");
  assert.equal(evaluation.classes[nest]!.ap, null, "no nest is labelled");
  await assert.rejects(evaluateRun(db, run.id, { iou: 2 }), DomainError);
});

test("accepting a missing-label candidate moves the counters by exactly one box", async () => {
  const run = await db.prisma.predictionRun.findFirstOrThrow({ where: { name: "detector A" } });
  const before = await runLabelErrorCandidates(db, run.id);
  const missing = before.find((c) => c.kind === "MISSING_LABEL")!;
  assert.equal(missing.className, "nest");
  assert.equal(before.filter((c) => c.kind === "SPURIOUS_LABEL").length, 2, "scene 3's two boxes");
  const nestBefore = await counter("nest");
  const insulatorBefore = await counter("insulator");

  const box = await acceptPrediction(db.prisma, curator, run.id, missing.predictionId!);
  assert.equal(box.source, "PREDICTED");
  assert.equal(box.predictionRunId, run.id);
  assert.equal(box.review, "CONFIRMED");
  assert.deepEqual(await counter("nest"), {
    images: nestBefore.images + 1,
    boxes: nestBefore.boxes + 1,
  });
  assert.deepEqual(await counter("insulator"), insulatorBefore);
  const audit = await db.prisma.auditEvent.findFirst({ where: { action: "prediction.accept" } });
  assert.equal(audit?.entityId, box.id);

  const afterAccept = await runLabelErrorCandidates(db, run.id);
  assert.equal(afterAccept.length, before.length - 1);
  await assert.rejects(
    acceptPrediction(db.prisma, curator, run.id, missing.predictionId!),
    (e: DomainError) => e.code === "CONFLICT",
  );
  assert.deepEqual(await counter("nest"), {
    images: nestBefore.images + 1,
    boxes: nestBefore.boxes + 1,
  });
});

test("a spurious label can be deleted (counters down) or dismissed; each decision is audited", async () => {
  const run = await db.prisma.predictionRun.findFirstOrThrow({ where: { name: "detector A" } });
  const spurious = (await runLabelErrorCandidates(db, run.id)).filter(
    (c) => c.kind === "SPURIOUS_LABEL",
  );
  const before = await counter("insulator");
  await decideCandidate(db.prisma, curator, run.id, spurious[0]!.key, { action: "DELETE" });
  assert.deepEqual(await counter("insulator"), { images: before.images, boxes: before.boxes - 1 });
  await decideCandidate(db.prisma, curator, run.id, spurious[1]!.key, { action: "DISMISS" });
  assert.deepEqual(await counter("insulator"), { images: before.images, boxes: before.boxes - 1 });
  assert.equal(
    (await runLabelErrorCandidates(db, run.id)).filter((c) => c.kind === "SPURIOUS_LABEL").length,
    0,
  );
  assert.equal(
    await db.prisma.auditEvent.count({ where: { action: { startsWith: "labelError." } } }),
    2,
  );
  await assert.rejects(
    decideCandidate(db.prisma, curator, run.id, "MISSING_LABEL:nope", { action: "DISMISS" }),
    (e: DomainError) => e.code === "NOT_FOUND" || e.code === "BAD_USER_INPUT",
  );
});

test("two runs compare class by class", async () => {
  const a = await db.prisma.predictionRun.findFirstOrThrow({ where: { name: "detector A" } });
  const b = await newRun("detector B");
  const rows = detectorRows().filter((r) => r[1] === "insulator" && r[0] !== "unknown.png");
  await importPredictionTable(db, b, table(rows.slice(0, 2)));
  const comparison = await compareRuns(db, a.id, b.id);
  const insulator = comparison.classes.find((c) => c.className === "insulator")!;
  assert.ok(insulator.ap50Delta! < 0, "B finds fewer insulators");
});
