// Prediction runs end to end: a labelled test split imported, a version, a zip of predictions PUT
// to the presigned URL, importPredictions, the job on pg-boss, then the evaluation, the label-error
// queue and accepting a missing label through GraphQL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { png, vocXmlOf, zipOf } from "../../../../packages/formats/src/test-fixtures.ts";

let t: TestApi;
let datasetId: string;

before(async () => {
  t = await startTestApi({}, { jobs: true });
  const created = await t.gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "lines" }) { id } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = created.data!.createDataset.id;
  const size = { width: 100, height: 80 };
  const labels = await zipOf({
    "JPEGImages/a.png": png(100, 80),
    "JPEGImages/b.png": png(100, 81),
    "Annotations/a.xml": vocXmlOf("a.png", size, [["insulator", 11, 11, 40, 40]]),
    "Annotations/b.xml": vocXmlOf("b.png", { width: 100, height: 81 }, [
      ["insulator", 51, 21, 90, 60],
    ]),
  });
  const key = await upload("requestImportUpload", labels);
  const started = await t.gql<{ startImport: { id: string } }>(
    `mutation($id: ID!, $key: String!) { startImport(datasetId: $id, format: VOC, source: $key, split: TEST) { id } }`,
    { id: datasetId, key },
    t.users.CURATOR,
  );
  assert.equal(started.errors, undefined, JSON.stringify(started.errors));
  await until(async () => {
    const r = await t.gql<{ importJob: { status: string } }>(
      `query($id: ID!) { importJob(id: $id) { status } }`,
      { id: started.data!.startImport.id },
      t.users.VIEWER,
    );
    return r.data!.importJob.status === "SUCCEEDED";
  });
  await t.gql(
    `mutation($id: ID!) { createVersion(datasetId: $id) { id } }`,
    { id: datasetId },
    t.users.CURATOR,
  );
});

after(async () => {
  await t.close();
});

async function until(check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function upload(mutation: "requestImportUpload" | "requestPredictionUpload", zip: Buffer) {
  const r = await t.gql<
    Record<string, { key: string; url: string; headers: Record<string, string> }>
  >(
    `mutation($id: ID!, $bytes: Float!) { ${mutation}(datasetId: $id, bytes: $bytes) { key url headers } }`,
    { id: datasetId, bytes: zip.length },
    t.users.CURATOR,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ticket = r.data![mutation]!;
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(zip),
  });
  assert.equal(put.status, 200);
  return ticket.key;
}

interface Run {
  id: string;
  status: string;
  predictionCount: number;
  errors: { file: string; code: string }[];
  unknownImages: string[];
}

async function importRun(format: string, files: Record<string, string>): Promise<Run> {
  const source = await upload("requestPredictionUpload", await zipOf(files));
  const started = await t.gql<{ importPredictions: { id: string } }>(
    `mutation($id: ID!, $source: String!, $format: DatasetFormat!) {
       importPredictions(datasetId: $id, version: 1, split: TEST, format: $format, source: $source, name: "detector") { id } }`,
    { id: datasetId, source, format },
    t.users.CURATOR,
  );
  assert.equal(started.errors, undefined, JSON.stringify(started.errors));
  let run: Run | undefined;
  await until(async () => {
    const r = await t.gql<{ predictionRun: Run }>(
      `query($id: ID!) { predictionRun(id: $id) { id status predictionCount errors { file code } unknownImages } }`,
      { id: started.data!.importPredictions.id },
      t.users.VIEWER,
    );
    run = r.data!.predictionRun;
    return run.status === "SUCCEEDED" || run.status === "FAILED";
  });
  return run!;
}

test("a COCO run imports, evaluates, and a missing label accepted from the queue leaves it", async () => {
  const run = await importRun("COCO", {
    "instances_test.json": JSON.stringify({
      images: [
        { id: 1, file_name: "a.png" },
        { id: 2, file_name: "b.png" },
        { id: 3, file_name: "elsewhere.png" },
      ],
      categories: [{ id: 1, name: "insulator" }],
    }),
    "results.json": JSON.stringify([
      { image_id: 1, category_id: 1, bbox: [10, 10, 30, 30], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [60, 40, 20, 20], score: 0.8 },
      { image_id: 2, category_id: 1, bbox: [50, 20, 40, 40], score: 0.7 },
      { image_id: 3, category_id: 1, bbox: [0, 0, 5, 5], score: 0.7 },
    ]),
  });
  assert.equal(run.status, "SUCCEEDED", JSON.stringify(run.errors));
  assert.equal(run.predictionCount, 3);
  assert.deepEqual(run.unknownImages, ["elsewhere.png"]);

  const evaluation = await t.gql<{
    evaluation: {
      classes: {
        defectClass: { name: string };
        truths: number;
        ap50: number;
        truePositives: number;
        falsePositives: number;
      }[];
      confusionLabels: string[];
      confusion: number[][];
    };
  }>(
    `query($id: ID!) { evaluation(runId: $id) { classes { defectClass { name } truths ap50 truePositives falsePositives } confusionLabels confusion } }`,
    { id: run.id },
    t.users.VIEWER,
  );
  assert.equal(evaluation.errors, undefined, JSON.stringify(evaluation.errors));
  const insulator = evaluation.data!.evaluation.classes.find(
    (c) => c.defectClass.name === "insulator",
  )!;
  assert.deepEqual(
    [insulator.truths, insulator.truePositives, insulator.falsePositives],
    [2, 2, 1],
  );
  // The false positive at 0.8 outranks the second hit: precision 2/3 from recall .5 on.
  assert.ok(Math.abs(insulator.ap50 - (51 + (50 * 2) / 3) / 101) < 1e-12);
  assert.deepEqual(evaluation.data!.evaluation.confusionLabels, ["insulator", "background"]);
  assert.deepEqual(evaluation.data!.evaluation.confusion, [
    [2, 0],
    [1, 0],
  ]);

  const queue = async () =>
    (
      await t.gql<{
        labelErrorCandidates: {
          totalCount: number;
          candidates: { key: string; kind: string; prediction: { id: string } | null }[];
        };
      }>(
        `query($id: ID!) { labelErrorCandidates(runId: $id) { totalCount candidates { key kind prediction { id } } } }`,
        { id: run.id },
        t.users.VIEWER,
      )
    ).data!.labelErrorCandidates;
  const before = await queue();
  assert.equal(before.totalCount, 1);
  assert.equal(before.candidates[0]!.kind, "MISSING_LABEL");

  const viewer = await t.gql(
    `mutation($run: ID!, $p: ID!) { acceptPrediction(runId: $run, predictionId: $p) { id } }`,
    { run: run.id, p: before.candidates[0]!.prediction!.id },
    t.users.VIEWER,
  );
  assert.equal(viewer.errors?.[0]?.extensions?.code, "FORBIDDEN");
  const accepted = await t.gql<{
    acceptPrediction: { source: string; review: string; predictionRun: { id: string } };
  }>(
    `mutation($run: ID!, $p: ID!) { acceptPrediction(runId: $run, predictionId: $p) { source review predictionRun { id } } }`,
    { run: run.id, p: before.candidates[0]!.prediction!.id },
    t.users.CURATOR,
  );
  assert.equal(accepted.errors, undefined, JSON.stringify(accepted.errors));
  assert.deepEqual(accepted.data!.acceptPrediction, {
    source: "PREDICTED",
    review: "CONFIRMED",
    predictionRun: { id: run.id },
  });
  assert.equal((await queue()).totalCount, 0);

  const again = await t.gql<{
    evaluation: { classes: { falsePositives: number; truths: number }[] };
  }>(
    `query($id: ID!) { evaluation(runId: $id) { classes { falsePositives truths } } }`,
    {
      id: run.id,
    },
    t.users.VIEWER,
  );
  assert.deepEqual(again.data!.evaluation.classes[0], { falsePositives: 0, truths: 3 });
});

test("a YOLO run with a bad score is refused whole, with the file and code", async () => {
  const run = await importRun("YOLO", {
    "classes.txt": "insulator\n",
    "labels/a.txt": "0 0.3 0.3 0.2 0.2 0.9\n",
    "labels/b.txt": "0 0.5 0.5 0.2 0.2 7\n",
  });
  assert.equal(run.status, "FAILED");
  assert.equal(run.predictionCount, 0);
  assert.deepEqual(run.errors, [{ file: "labels/b.txt", code: "BAD_SCORE" }]);
  const stored = await t.db.prisma.prediction.count({ where: { runId: run.id } });
  assert.equal(stored, 0);
});

test("runs list newest first as a cursor connection; bad thresholds are refused", async () => {
  const r = await t.gql<{
    predictionRuns: { edges: { node: { status: string } }[]; pageInfo: { hasNextPage: boolean } };
  }>(
    `query($id: ID!) { predictionRuns(datasetId: $id, first: 1) { edges { node { status } } pageInfo { hasNextPage } } }`,
    { id: datasetId },
    t.users.VIEWER,
  );
  assert.equal(r.data!.predictionRuns.edges[0]!.node.status, "FAILED");
  assert.equal(r.data!.predictionRuns.pageInfo.hasNextPage, true);
  const run = await t.db.prisma.predictionRun.findFirstOrThrow({ where: { status: "SUCCEEDED" } });
  const bad = await t.gql(
    `query($id: ID!) { evaluation(runId: $id, iou: 1.5) { map } }`,
    {
      id: run.id,
    },
    t.users.VIEWER,
  );
  assert.equal(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
});
