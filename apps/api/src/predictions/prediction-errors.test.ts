// The image browser's prediction-error filter against a real PostgreSQL: a handcrafted TEST split
// (a right prediction, a duplicate, a low-IoU one, one below the confidence, one of the wrong
// class, a box with no prediction, an empty image) and which images each filter returns, page by
// page, with bad input refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { createAnnotation } from "@gridfill/core/annotations/service.ts";
import { uuidv7 } from "@gridfill/core/ids.ts";

let t: TestApi;
let datasetId: string;
let runId: string;
let otherRunId: string;
let foreignClassId: string;
const classes: Record<string, string> = {};
const names = new Map<string, string>();

type Box = [number, number, number, number];

before(async () => {
  t = await startTestApi();
  const { prisma } = t.db;
  datasetId = (await prisma.dataset.create({ data: { name: "spans" } })).id;
  for (const name of ["crack", "nest"])
    classes[name] = (await prisma.defectClass.create({ data: { datasetId, name } })).id;
  const version = await prisma.datasetVersion.create({
    data: { datasetId, number: 1, manifestKey: "m", manifestSha256: "0", images: 8, boxes: 8 },
  });
  const run = await prisma.predictionRun.create({
    data: {
      datasetId,
      versionId: version.id,
      split: "TEST",
      source: "IMPORT",
      format: "COCO",
      name: "detector",
      status: "SUCCEEDED",
    },
  });
  runId = run.id;

  const box: Box = [10, 10, 40, 40];
  const scenes: {
    name: string;
    split?: "TRAIN" | "TEST";
    truths: [string, Box][];
    predictions: [string, Box, number][];
  }[] = [
    { name: "right", truths: [["crack", box]], predictions: [["crack", box, 0.9]] },
    // The better prediction takes the box; the second one on it is a false positive.
    {
      name: "duplicate",
      truths: [["crack", box]],
      predictions: [
        ["crack", box, 0.9],
        ["crack", [11, 11, 40, 40], 0.8],
      ],
    },
    // IoU 100 / 3100: no match at 0.5, a match at 0.01.
    { name: "low-iou", truths: [["crack", box]], predictions: [["crack", [40, 40, 40, 40], 0.9]] },
    { name: "below", truths: [["crack", box]], predictions: [["crack", box, 0.3]] },
    { name: "wrong-class", truths: [["crack", box]], predictions: [["nest", box, 0.9]] },
    { name: "unpredicted", truths: [["crack", [100, 10, 40, 40]]], predictions: [] },
    { name: "empty", truths: [], predictions: [] },
    // Outside the run's split: never an error of the run.
    {
      name: "train",
      split: "TRAIN",
      truths: [["crack", box]],
      predictions: [["nest", [100, 50, 20, 20], 0.9]],
    },
  ];
  for (const [i, scene] of scenes.entries()) {
    const image = await prisma.image.create({
      data: {
        datasetId,
        sha256: `${i}`.padStart(64, "0"),
        objectKey: `images/${i}.png`,
        mimeType: "image/png",
        width: 200,
        height: 100,
        bytes: 10,
        filename: scene.name,
        split: scene.split ?? "TEST",
      },
    });
    names.set(image.id, scene.name);
    for (const [cls, [x, y, width, height]] of scene.truths) {
      await createAnnotation(prisma, null, image.id, {
        classId: classes[cls]!,
        box: { x, y, width, height },
      });
    }
    await prisma.prediction.createMany({
      data: scene.predictions.map(([cls, [x, y, width, height], score]) => ({
        id: uuidv7(),
        runId,
        imageId: image.id,
        classId: classes[cls]!,
        x,
        y,
        width,
        height,
        score,
      })),
    });
  }

  const other = await prisma.dataset.create({ data: { name: "elsewhere" } });
  foreignClassId = (
    await prisma.defectClass.create({ data: { datasetId: other.id, name: "crack" } })
  ).id;
  const otherVersion = await prisma.datasetVersion.create({
    data: {
      datasetId: other.id,
      number: 1,
      manifestKey: "m",
      manifestSha256: "0",
      images: 0,
      boxes: 0,
    },
  });
  otherRunId = (
    await prisma.predictionRun.create({
      data: {
        datasetId: other.id,
        versionId: otherVersion.id,
        split: "TEST",
        source: "IMPORT",
        status: "SUCCEEDED",
      },
    })
  ).id;
});

after(async () => {
  await t.close();
});

const PAGE = `query($d: ID!, $f: ImageFilter, $n: Int, $a: String) {
  images(datasetId: $d, filter: $f, first: $n, after: $a) {
    edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }`;

interface Page {
  images: {
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

async function page(filter: Record<string, unknown>, first = 50, after: string | null = null) {
  return t.gql<Page>(PAGE, { d: datasetId, f: filter, n: first, a: after }, t.users.VIEWER);
}

/** The names of the images a filter returns, walking its pages one image at a time. */
async function matching(error: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const filter = { ...more, predictionError: { runId, ...error } };
  const all = await page(filter);
  assert.equal(all.errors, undefined, JSON.stringify(all.errors));
  const ids = all.data!.images.edges.map((e) => e.node.id);
  assert.equal(all.data!.images.totalCount, ids.length);
  const walked: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const r = await page(filter, 1, cursor);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    walked.push(...r.data!.images.edges.map((e) => e.node.id));
    if (!r.data!.images.pageInfo.hasNextPage) break;
    cursor = r.data!.images.pageInfo.endCursor;
  }
  assert.deepEqual(walked, ids, "one image per page walks the same images in the same order");
  return ids.map((id) => names.get(id)!).sort();
}

const sorted = (...values: string[]) => [...values].sort();

test("without the filter every image is listed", async () => {
  const r = await page({});
  assert.equal(r.data!.images.totalCount, 8);
});

test("false positives and false negatives of a class, at the default IoU and confidence", async () => {
  const crack = classes.crack!;
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_POSITIVE" }),
    sorted("duplicate", "low-iou"),
  );
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_NEGATIVE" }),
    sorted("low-iou", "below", "wrong-class", "unpredicted"),
  );
  assert.deepEqual(
    await matching({ classId: classes.nest!, kind: "FALSE_POSITIVE" }),
    sorted("wrong-class"),
  );
  assert.deepEqual(await matching({ classId: classes.nest!, kind: "FALSE_NEGATIVE" }), []);
});

test("the images agree with the evaluation's counts (one error per image here)", async () => {
  const r = await t.gql<{
    evaluation: {
      classes: { defectClass: { name: string }; falsePositives: number; falseNegatives: number }[];
    };
  }>(
    `query($id: ID!) { evaluation(runId: $id) { classes { defectClass { name } falsePositives falseNegatives } } }`,
    { id: runId },
    t.users.VIEWER,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  // Crack only: the evaluation also counts the nest predicted on "train", an image outside the
  // run's split, where the filter lists only the split's images.
  const crack = r.data!.evaluation.classes.filter((c) => c.defectClass.name === "crack");
  assert.deepEqual(
    crack.map((c) => [c.falsePositives, c.falseNegatives]),
    [[2, 4]],
  );
  for (const c of crack) {
    const classId = classes[c.defectClass.name]!;
    assert.equal(
      (await matching({ classId, kind: "FALSE_POSITIVE" })).length,
      c.falsePositives,
      `false positives of ${c.defectClass.name}`,
    );
    assert.equal(
      (await matching({ classId, kind: "FALSE_NEGATIVE" })).length,
      c.falseNegatives,
      `false negatives of ${c.defectClass.name}`,
    );
  }
});

test("without a class, any class's errors count", async () => {
  assert.deepEqual(
    await matching({ kind: "FALSE_POSITIVE" }),
    sorted("duplicate", "low-iou", "wrong-class"),
  );
  assert.deepEqual(
    await matching({ kind: "FALSE_NEGATIVE" }),
    sorted("low-iou", "below", "wrong-class", "unpredicted"),
  );
});

test("the confidence and the IoU move images in and out", async () => {
  const crack = classes.crack!;
  // From 0.2 the prediction on "below" counts and finds its box.
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_NEGATIVE", confidence: 0.2 }),
    sorted("low-iou", "wrong-class", "unpredicted"),
  );
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_POSITIVE", confidence: 0.2 }),
    sorted("duplicate", "low-iou"),
  );
  // Above 0.95 nothing is predicted: every box is missed, nothing is a false positive.
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_POSITIVE", confidence: 0.95 }),
    [],
  );
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_NEGATIVE", confidence: 0.95 }),
    sorted("right", "duplicate", "low-iou", "below", "wrong-class", "unpredicted"),
  );
  // At IoU 0.01 the shifted prediction matches its box.
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_POSITIVE", iou: 0.01 }),
    sorted("duplicate"),
  );
  assert.deepEqual(
    await matching({ classId: crack, kind: "FALSE_NEGATIVE", iou: 0.01 }),
    sorted("below", "wrong-class", "unpredicted"),
  );
});

test("the filter combines with the others", async () => {
  // Images with a crack box on which the run predicts a false nest (the class branch of the query).
  assert.deepEqual(
    await matching({ classId: classes.nest!, kind: "FALSE_POSITIVE" }, { classId: classes.crack }),
    sorted("wrong-class"),
  );
  assert.deepEqual(
    await matching({ classId: classes.crack!, kind: "FALSE_NEGATIVE" }, { splits: ["TRAIN"] }),
    [],
  );
});

test("bad input is refused with a clear code", async () => {
  const code = async (error: Record<string, unknown>) => {
    const r = await page({ predictionError: { runId, kind: "FALSE_POSITIVE", ...error } });
    assert.equal(r.data ?? null, null);
    return [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.message];
  };
  const unknownRun = "01890000-0000-7000-8000-000000000000";
  assert.deepEqual(await code({ runId: unknownRun }), [
    "NOT_FOUND",
    `prediction run ${unknownRun} not found`,
  ]);
  assert.equal((await code({ runId: "not-a-run" }))[0], "NOT_FOUND");
  assert.deepEqual(await code({ runId: otherRunId }), [
    "BAD_USER_INPUT",
    `prediction run ${otherRunId} belongs to another dataset`,
  ]);
  assert.deepEqual(await code({ classId: foreignClassId }), [
    "BAD_USER_INPUT",
    `class ${foreignClassId} belongs to another dataset`,
  ]);
  assert.equal((await code({ classId: unknownRun }))[0], "NOT_FOUND");
  for (const iou of [0, -0.1, 1.5])
    assert.deepEqual(await code({ iou }), ["BAD_USER_INPUT", "iou must be in (0, 1]"]);
  for (const confidence of [-0.01, 1.01])
    assert.deepEqual(await code({ confidence }), [
      "BAD_USER_INPUT",
      "confidence must be in [0, 1]",
    ]);
  const badKind = await page({ predictionError: { runId, kind: "BOTH" } });
  assert.ok(badKind.errors?.length);
});

test("the filter needs a signed-in caller, like the image list", async () => {
  const r = await t.gql(
    PAGE,
    { d: datasetId, f: { predictionError: { runId, kind: "FALSE_NEGATIVE" } }, n: 5 },
    null,
  );
  assert.equal(r.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
});
