// `gridfill import` against a real API with its job runner: a folder is zipped while it uploads.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { folderOf, png, vocXmlOf } from "../../../packages/formats/src/test-fixtures.ts";
import { runGridfill } from "./testing.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi({}, { jobs: true });
});
after(() => t.close());

test("import --create --json imports a VOC folder; a second run adds nothing", async () => {
  const folder = await folderOf({
    "JPEGImages/a.png": png(64, 48),
    "JPEGImages/b.png": png(80, 60),
    "Annotations/a.xml": vocXmlOf("a.png", { width: 64, height: 48 }, [["Crack", 1, 1, 10, 10]]),
    "Annotations/b.xml": vocXmlOf("b.png", { width: 80, height: 60 }, [["nest", 5, 5, 30, 30]]),
  });
  const classMap = path.join(folder, "..", `map-${path.basename(folder)}.json`);
  await writeFile(classMap, JSON.stringify({ Crack: "crack" }));
  const env = { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token };
  const args = ["import", "--dataset", "line-9", "--format", "voc", "--create", "--split", "val"];
  const first = await runGridfill([...args, "--class-map", classMap, "--json", folder], env);
  assert.equal(first.code, 0, first.stderr);
  const job = JSON.parse(first.stdout) as {
    status: string;
    imagesAdded: number;
    boxesAdded: unknown;
  };
  assert.equal(job.status, "SUCCEEDED");
  assert.equal(job.imagesAdded, 2);
  assert.deepEqual(job.boxesAdded, [
    { className: "crack", boxes: 1 },
    { className: "nest", boxes: 1 },
  ]);
  const { rows } = await t.db.pool.query(`SELECT DISTINCT split::text FROM "Image"`);
  assert.deepEqual(rows, [{ split: "VAL" }]);

  const second = await runGridfill([...args, "--class-map", classMap, folder], env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /0 images added, 2 already present/);

  const missing = await runGridfill(
    ["import", "--dataset", "nope", "--format", "voc", folder],
    env,
  );
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no dataset named "nope"/);
});

test("export --version downloads the version as a zip", async () => {
  const { rows } = await t.db.pool.query(`SELECT id FROM "Dataset" WHERE name = 'line-9'`);
  const created = await t.gql(
    `mutation($id: ID!) { createVersion(datasetId: $id, note: "cli") { number } }`,
    { id: rows[0].id },
    t.users.CURATOR,
  );
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const target = path.join(await mkdtemp(path.join(os.tmpdir(), "gridfill-export-")), "line-9.zip");
  const env = { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token };
  const run = await runGridfill(
    [
      "export",
      "--dataset",
      "line-9",
      "--version",
      "1",
      "--format",
      "yolo",
      "--out",
      target,
      "--json",
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { images: number; boxes: number; file: string };
  assert.equal(summary.images, 2);
  assert.equal(summary.boxes, 2);
  const bytes = await readFile(target);
  assert.equal(bytes.subarray(0, 2).toString(), "PK");
  const missing = await runGridfill(
    ["export", "--dataset", "line-9", "--version", "7", "--format", "yolo", "--out", target],
    env,
  );
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no version 7/);
});

test("import --metadata-only uploads only the labels; the images come from the bucket prefix", async () => {
  const a = png(64, 48);
  const b = png(80, 60);
  const folder = await folderOf({
    "JPEGImages/a.png": a,
    "JPEGImages/b.png": b,
    "Annotations/a.xml": vocXmlOf("a.png", { width: 64, height: 48 }, [["crack", 1, 1, 10, 10]]),
    "Annotations/b.xml": vocXmlOf("b.png", { width: 80, height: 60 }, [["nest", 5, 5, 30, 30]]),
  });
  // Only a.png is in the bucket: b's label is reported, a is imported from its object.
  const prefix = "migrated/line-10/";
  await t.storage.put("images", `${prefix}JPEGImages/a.png`, a, { contentType: "image/png" });
  const env = { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token };
  const args = ["import", "--dataset", "line-10", "--format", "voc", "--create", "--json"];
  const noPrefix = await runGridfill([...args, "--metadata-only", folder], env);
  assert.equal(noPrefix.code, 2);
  assert.match(noPrefix.stderr, /--metadata-only needs --bucket-prefix/);
  const run = await runGridfill(
    [...args, "--metadata-only", "--bucket-prefix", prefix, folder],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  const job = JSON.parse(run.stdout) as {
    status: string;
    imagesAdded: number;
    boxesAdded: unknown;
    errors: { file: string; code: string }[];
  };
  assert.equal(job.status, "SUCCEEDED");
  assert.equal(job.imagesAdded, 1);
  assert.deepEqual(job.boxesAdded, [{ className: "crack", boxes: 1 }]);
  assert.deepEqual(
    job.errors.map((e) => `${e.code} ${e.file}`),
    ["MISSING_IMAGE Annotations/b.xml"],
  );
  const { rows } = await t.db.pool.query(
    `SELECT i."objectKey" FROM "Image" i JOIN "Dataset" d ON d.id = i."datasetId" WHERE d.name = 'line-10'`,
  );
  assert.deepEqual(rows, [{ objectKey: `${prefix}JPEGImages/a.png` }]);
});

const CPLID = "/work/shared/datasets/cplid-sample";
test(
  "import of the CPLID sample folder: 220 images, 283 insulator and 160 defect boxes",
  { skip: !existsSync(CPLID) && "CPLID sample not present" },
  async () => {
    const env = { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token };
    const run = await runGridfill(
      ["import", "--dataset", "cplid", "--format", "voc", "--create", "--json", CPLID],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as {
      status: string;
      imagesAdded: number;
      boxesAdded: unknown;
      errorCount: number;
    };
    assert.equal(job.status, "SUCCEEDED");
    assert.equal(job.errorCount, 0);
    assert.equal(job.imagesAdded, 220);
    assert.deepEqual(job.boxesAdded, [
      { className: "defect", boxes: 160 },
      { className: "insulator", boxes: 283 },
    ]);
    const { rows } = await t.db.pool.query(
      `SELECT (SELECT count(*)::int FROM "Image" i JOIN "Dataset" d ON d.id = i."datasetId" WHERE d.name = 'cplid') AS images,
              (SELECT count(*)::int FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId"
                 JOIN "Dataset" d ON d.id = i."datasetId" WHERE d.name = 'cplid') AS boxes`,
    );
    assert.deepEqual(rows, [{ images: 220, boxes: 443 }]);
  },
);
