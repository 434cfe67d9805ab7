// `gridfill predictions import` and `gridfill evaluate` against a real API with its job runner.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { folderOf, png, vocXmlOf } from "../../../packages/formats/src/test-fixtures.ts";
import { formatComparison } from "./commands/evaluate.ts";
import { runGridfill } from "./testing.ts";

let t: TestApi;
let env: Record<string, string>;
before(async () => {
  t = await startTestApi({}, { jobs: true });
  env = { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token };
  const labels = await folderOf({
    "JPEGImages/a.png": png(100, 80),
    "JPEGImages/b.png": png(100, 81),
    "Annotations/a.xml": vocXmlOf("a.png", { width: 100, height: 80 }, [["nest", 11, 11, 40, 40]]),
    "Annotations/b.xml": vocXmlOf("b.png", { width: 100, height: 81 }, [["nest", 51, 21, 90, 60]]),
  });
  const imported = await runGridfill(
    ["import", "--dataset", "lines", "--create", "--format", "voc", "--split", "test", labels],
    env,
  );
  assert.equal(imported.code, 0, imported.stderr);
  const datasetId = (await t.db.prisma.dataset.findFirstOrThrow({ where: { name: "lines" } })).id;
  const version = await t.gql(
    `mutation($id: ID!) { createVersion(datasetId: $id) { id } }`,
    { id: datasetId },
    t.users.CURATOR,
  );
  assert.equal(version.errors, undefined, JSON.stringify(version.errors));
});
after(() => t.close());

async function importRun(results: unknown[], extra: string[] = []) {
  const folder = await folderOf({
    "instances_test.json": JSON.stringify({
      images: [
        { id: 1, file_name: "a.png" },
        { id: 2, file_name: "b.png" },
      ],
      categories: [{ id: 1, name: "nest" }],
    }),
    "results.json": JSON.stringify(results),
  });
  const args = ["predictions", "import", "--dataset", "lines", "--version", "1", "--split", "test"];
  return runGridfill([...args, "--format", "coco", ...extra, folder], env);
}

test("predictions import, then evaluate prints the per-class table, alone and compared", async () => {
  const first = await importRun(
    [
      { image_id: 1, category_id: 1, bbox: [10, 10, 30, 30], score: 0.9 },
      { image_id: 2, category_id: 1, bbox: [50, 20, 40, 40], score: 0.7 },
    ],
    ["--json"],
  );
  assert.equal(first.code, 0, first.stderr);
  const run = JSON.parse(first.stdout) as { id: string; status: string; predictionCount: number };
  assert.deepEqual([run.status, run.predictionCount], ["SUCCEEDED", 2]);

  const second = await importRun([
    { image_id: 1, category_id: 1, bbox: [10, 10, 30, 30], score: 0.9 },
  ]);
  assert.equal(second.code, 0, second.stderr);
  const secondId = /run (\S+): 1 predictions imported/.exec(second.stdout)![1]!;

  const table = await runGridfill(["evaluate", "--run", run.id], env);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^class\s+truths\s+preds\s+AP50\s+AP50:95\s+P\s+R\s+F1$/m);
  assert.match(table.stdout, /^nest\s+2\s+2\s+1\.000\s/m);

  const json = await runGridfill(
    ["evaluate", "--run", secondId, "--json", "--confidence", "0.8"],
    env,
  );
  const evaluation = JSON.parse(json.stdout) as {
    confidence: number;
    classes: { recall: number }[];
  };
  assert.equal(evaluation.confidence, 0.8);
  assert.equal(evaluation.classes[0]!.recall, 0.5);

  const compared = await runGridfill(["evaluate", "--run", run.id, "--compare", secondId], env);
  assert.equal(compared.code, 0, compared.stderr);
  // B finds one nest of two: AP50 falls from 1 to 51/101.
  assert.match(compared.stdout, /^nest \*\s+2\s+1\.000\s+0\.505\s+-0\.495/m);
});

test("a refused run exits 1 and says why; bad options exit 2", async () => {
  const refused = await importRun([
    { image_id: 1, category_id: 1, bbox: [90, 10, 30, 30], score: 0.9 },
  ]);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /refused, nothing written/);
  assert.match(refused.stdout, /BOX_OUT_OF_BOUNDS/);

  const badFormat = await importRun([], ["--format", "csv"]);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be one of coco, yolo, voc/);
});

test("the comparison marks the class whose AP50 moved most", () => {
  const row = (name: string, a: number, b: number) => ({
    defectClass: { name },
    truths: 10,
    base: { ap50: a, ap: a / 2 },
    other: { ap50: b, ap: b / 2 },
    ap50Delta: b - a,
    apDelta: (b - a) / 2,
  });
  const text = formatComparison([row("insulator", 0.9, 0.91), row("flashover", 0.2, 0.45)]);
  assert.match(text, /^flashover \*/m);
  assert.match(text, /^insulator\s/m);
});
