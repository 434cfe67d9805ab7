// Imports end to end: a zip PUT to the presigned URL, startImport, the job on pg-boss, the report.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { png, vocXmlOf, zipOf } from "../../../../packages/formats/src/test-fixtures.ts";
import { makeGif, textFileAsPng } from "@gridfill/storage";

let t: TestApi;
before(async () => {
  t = await startTestApi({}, { jobs: true });
});
after(async () => {
  await t.close();
});

interface Job {
  id: string;
  status: string;
  imagesAdded: number;
  duplicates: number;
  boxesAdded: { className: string; boxes: number }[];
  errors: { file: string; code: string; message: string }[];
  errorCount: number;
  done: number;
  total: number | null;
}
const JOB = `id status imagesAdded duplicates boxesAdded { className boxes } errors { file code message } errorCount done total`;

async function dataset(name: string): Promise<string> {
  const r = await t.gql<{ createDataset: { id: string } }>(
    `mutation($name: String!) { createDataset(input: { name: $name }) { id } }`,
    { name },
    t.users.CURATOR,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!.createDataset.id;
}

export async function uploadZip(api: TestApi, datasetId: string, zip: Buffer): Promise<string> {
  const r = await api.gql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    { id: datasetId, bytes: zip.length },
    api.users.CURATOR,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ticket = r.data!.requestImportUpload;
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(zip),
  });
  assert.equal(put.status, 200);
  return ticket.key;
}

async function runImport(
  datasetId: string,
  format: string,
  zip: Buffer,
  extra: { split?: string; classMap?: unknown; metadataOnly?: boolean; bucketPrefix?: string } = {},
): Promise<Job> {
  const key = await uploadZip(t, datasetId, zip);
  const started = await t.gql<{ startImport: Job }>(
    `mutation($id: ID!, $format: DatasetFormat!, $source: String!, $split: Split, $classMap: JSON,
              $metadataOnly: Boolean, $bucketPrefix: String) {
      startImport(datasetId: $id, format: $format, source: $source, split: $split, classMap: $classMap,
                  metadataOnly: $metadataOnly, bucketPrefix: $bucketPrefix) { ${JOB} } }`,
    {
      id: datasetId,
      format,
      source: key,
      split: extra.split ?? null,
      classMap: extra.classMap ?? null,
      metadataOnly: extra.metadataOnly ?? false,
      bucketPrefix: extra.bucketPrefix ?? null,
    },
    t.users.CURATOR,
  );
  assert.equal(started.errors, undefined, JSON.stringify(started.errors));
  return waitFor(started.data!.startImport.id);
}

async function waitFor(id: string, timeoutMs = 120_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.gql<{ importJob: Job }>(
      `query($id: ID!) { importJob(id: $id) { ${JOB} } }`,
      { id },
      t.users.VIEWER,
    );
    const job = r.data!.importJob;
    if (job.status === "SUCCEEDED" || job.status === "FAILED") return job;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function counts(datasetId: string) {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT count(*)::int FROM "Image" WHERE "datasetId" = $1) AS images,
            (SELECT count(*)::int FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" WHERE i."datasetId" = $1) AS boxes,
            (SELECT coalesce(sum(boxes), 0)::int FROM "ClassCounter" WHERE "datasetId" = $1) AS counted`,
    [datasetId],
  );
  return rows[0] as { images: number; boxes: number; counted: number };
}

const size = { width: 64, height: 48 };
const goodVoc = {
  "JPEGImages/a.png": png(64, 48),
  "JPEGImages/b.png": png(80, 60),
  "Annotations/a.xml": vocXmlOf("a.png", size, [
    ["crack", 1, 1, 10, 10],
    ["nest", 20, 20, 40, 40],
  ]),
  "Annotations/b.xml": vocXmlOf("b.png", { width: 80, height: 60 }, [["crack", 5, 5, 30, 30]]),
  "ImageSets/Main/train.txt": "a\n",
  "ImageSets/Main/val.txt": "b\n",
};

test("a VOC zip is imported with splits and classes; broken files are reported and nothing partial stays", async () => {
  const id = await dataset("voc-import");
  const zip = await zipOf(
    {
      ...goodVoc,
      // Malformed XML.
      "Annotations/broken.xml": "<annotation><filename>c.png</filename><object>",
      "JPEGImages/c.png": png(70, 50),
      // A text file named .png, with a well-formed label.
      "JPEGImages/fake.png": textFileAsPng(),
      "Annotations/fake.xml": vocXmlOf("fake.png", size, [["crack", 1, 1, 5, 5]]),
      // Zip slip (the name is rewritten after zipping: yazl refuses to write it).
      "AAAAAAAAAAAAAAAAAAA.xml": vocXmlOf("a.png", size, [["crack", 1, 1, 5, 5]]),
    },
    { AAAAAAAAAAAAAAAAAAA: "../../gridfill-evil" },
  );
  const job = await runImport(id, "VOC", zip);
  assert.equal(job.status, "SUCCEEDED");
  assert.equal(job.imagesAdded, 2);
  assert.deepEqual(job.boxesAdded, [
    { className: "crack", boxes: 2 },
    { className: "nest", boxes: 1 },
  ]);
  const codes = job.errors.map((e) => `${e.code} ${e.file}`).sort();
  assert.ok(codes.includes("MALFORMED_XML Annotations/broken.xml"), codes.join("; "));
  assert.ok(codes.includes("ZIP_SLIP ../../gridfill-evil.xml"), codes.join("; "));
  assert.ok(
    codes.some((c) => c.endsWith("JPEGImages/fake.png") && !c.startsWith("MALFORMED")),
    codes.join("; "),
  );
  assert.deepEqual(await counts(id), { images: 2, boxes: 3, counted: 3 });
  const { rows } = await t.db.pool.query(
    `SELECT filename, split::text FROM "Image" WHERE "datasetId" = $1 ORDER BY filename`,
    [id],
  );
  assert.deepEqual(rows, [
    { filename: "a.png", split: "TRAIN" },
    { filename: "b.png", split: "VAL" },
  ]);

  // Idempotent: the same archive again adds nothing.
  const again = await runImport(id, "VOC", zip);
  assert.equal(again.status, "SUCCEEDED");
  assert.equal(again.imagesAdded, 0);
  assert.equal(again.duplicates, 2);
  assert.deepEqual(again.boxesAdded, []);
  assert.deepEqual(await counts(id), { images: 2, boxes: 3, counted: 3 });

  // A known image with one new box (and one within 0.5 px of an old one) gains only the new box.
  const more = await zipOf({
    "JPEGImages/a.png": png(64, 48),
    "Annotations/a.xml": vocXmlOf("a.png", size, [
      ["crack", 1.3, 1, 10, 10.4],
      ["crack", 30, 5, 50, 20],
    ]),
  });
  const third = await runImport(id, "VOC", more, { split: "TEST" });
  assert.equal(third.duplicates, 1);
  assert.deepEqual(third.boxesAdded, [{ className: "crack", boxes: 1 }]);
  assert.deepEqual(await counts(id), { images: 2, boxes: 4, counted: 4 });
});

test("COCO: an unknown category is reported for its image, the others are imported; --split and class maps apply", async () => {
  const id = await dataset("coco-import");
  const coco = {
    images: [
      { id: 1, file_name: "a.png", width: 64, height: 48 },
      { id: 2, file_name: "b.png", width: 80, height: 60 },
    ],
    categories: [
      { id: 1, name: "Insulator" },
      { id: 2, name: "tower" },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 10, 10] },
      { id: 2, image_id: 1, category_id: 2, bbox: [20, 20, 10, 10] },
      { id: 3, image_id: 2, category_id: 9, bbox: [1, 1, 5, 5] },
    ],
  };
  const zip = await zipOf({
    "images/a.png": png(64, 48),
    "images/b.png": png(80, 60),
    "annotations/instances.json": JSON.stringify(coco),
  });
  const job = await runImport(id, "COCO", zip, {
    split: "TRAIN",
    classMap: { Insulator: "insulator", tower: null },
  });
  assert.equal(job.status, "SUCCEEDED");
  assert.equal(job.imagesAdded, 1);
  assert.deepEqual(job.boxesAdded, [{ className: "insulator", boxes: 1 }]);
  assert.deepEqual(
    job.errors.map((e) => e.code),
    ["UNKNOWN_CATEGORY"],
  );
  const { rows } = await t.db.pool.query(
    `SELECT i.split::text, c.name, a.x, a.y, a.width, a.height FROM "Annotation" a
     JOIN "Image" i ON i.id = a."imageId" JOIN "DefectClass" c ON c.id = a."classId" WHERE i."datasetId" = $1`,
    [id],
  );
  assert.deepEqual(rows, [
    { split: "TRAIN", name: "insulator", x: 1, y: 2, width: 10, height: 10 },
  ]);
});

test("bad input is refused with a clear error and nothing written", async () => {
  const id = await dataset("bad-input");
  const before = await t.db.pool.query(`SELECT count(*)::int AS n FROM "ImportJob"`);
  for (const [variables, pattern] of [
    [{ id, format: "VOC", source: "images/x.zip" }, /requestImportUpload/],
    [
      { id, format: "VOC", source: "imports/0193f000-0000-7000-8000-000000000000.zip" },
      /nothing was uploaded/,
    ],
  ] as const) {
    const r = await t.gql(
      `mutation($id: ID!, $format: DatasetFormat!, $source: String!) { startImport(datasetId: $id, format: $format, source: $source) { id } }`,
      variables,
      t.users.CURATOR,
    );
    assert.equal(r.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(r.errors![0]!.message, pattern);
  }
  const key = await uploadZip(t, id, Buffer.from("not a zip at all"));
  const r = await t.gql<{ startImport: { id: string } }>(
    `mutation($id: ID!, $source: String!) { startImport(datasetId: $id, format: YOLO, source: $source, classMap: [1]) { id } }`,
    { id, source: key },
    t.users.CURATOR,
  );
  assert.equal(r.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  const afterCount = await t.db.pool.query(`SELECT count(*)::int AS n FROM "ImportJob"`);
  assert.equal(afterCount.rows[0].n, before.rows[0].n);

  // A file that is not a zip fails the job with a readable message.
  const failed = await t.gql<{ startImport: { id: string } }>(
    `mutation($id: ID!, $source: String!) { startImport(datasetId: $id, format: YOLO, source: $source) { id } }`,
    { id, source: key },
    t.users.CURATOR,
  );
  const job = await waitFor(failed.data!.startImport.id);
  assert.equal(job.status, "FAILED");
  assert.deepEqual(await counts(id), { images: 0, boxes: 0, counted: 0 });
});

test("metadata mode: labels in the zip, images already in the bucket; rows only, idempotent, clear errors", async () => {
  const id = await dataset("metadata-mode");
  const prefix = "datasets/metadata-mode/";
  // Two plain objects (hashed while listed) and one at its content-addressed key.
  const a = png(64, 48);
  const b = png(80, 60);
  await t.storage.put("images", `${prefix}images/a.png`, a, { contentType: "image/png" });
  await t.storage.put("images", `${prefix}images/b.png`, b, { contentType: "image/png" });
  const coco = {
    images: [
      { id: 1, file_name: "a.png", width: 64, height: 48 },
      { id: 2, file_name: "b.png" },
      { id: 3, file_name: "absent.png", width: 64, height: 48 },
      { id: 4, file_name: "a.png", width: 64, height: 48 },
    ],
    categories: [{ id: 1, name: "crack" }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 10, 10] },
      { id: 2, image_id: 2, category_id: 1, bbox: [5, 5, 20, 20] },
      { id: 3, image_id: 3, category_id: 1, bbox: [1, 1, 5, 5] },
      { id: 4, image_id: 4, category_id: 1, bbox: [60, 1, 20, 5] },
    ],
  };
  const zip = await zipOf({ "annotations/instances.json": JSON.stringify(coco) });
  const job = await runImport(id, "COCO", zip, { metadataOnly: true, bucketPrefix: prefix });
  assert.equal(job.status, "SUCCEEDED", JSON.stringify(job.errors));
  assert.equal(job.total, 2);
  assert.equal(job.done, 2);
  assert.equal(job.imagesAdded, 2);
  assert.deepEqual(job.boxesAdded, [{ className: "crack", boxes: 2 }]);
  assert.deepEqual(job.errors.map((e) => e.code).sort(), ["BOX_OUT_OF_BOUNDS", "MISSING_IMAGE"]);
  assert.deepEqual(await counts(id), { images: 2, boxes: 2, counted: 2 });
  const { rows } = await t.db.pool.query(
    `SELECT "objectKey", sha256, width, height, bytes FROM "Image" WHERE "datasetId" = $1 ORDER BY "objectKey"`,
    [id],
  );
  const { createHash } = await import("node:crypto");
  assert.deepEqual(rows, [
    {
      objectKey: `${prefix}images/a.png`,
      sha256: createHash("sha256").update(a).digest("hex"),
      width: 64,
      height: 48,
      bytes: a.length,
    },
    {
      objectKey: `${prefix}images/b.png`,
      sha256: createHash("sha256").update(b).digest("hex"),
      width: 80,
      height: 60,
      bytes: b.length,
    },
  ]);

  // The same labels again add nothing.
  const again = await runImport(id, "COCO", zip, { metadataOnly: true, bucketPrefix: prefix });
  assert.equal(again.status, "SUCCEEDED");
  assert.equal(again.imagesAdded, 0);
  assert.deepEqual(again.boxesAdded, []);
  assert.deepEqual(await counts(id), { images: 2, boxes: 2, counted: 2 });

  // A prefix without metadata mode, metadata mode without a prefix, and an escaping prefix are refused.
  const key = await uploadZip(t, id, zip);
  for (const [extra, pattern] of [
    [{ metadataOnly: false, bucketPrefix: prefix }, /only with metadataOnly/],
    [{ metadataOnly: true, bucketPrefix: null }, /needs bucketPrefix/],
    [{ metadataOnly: true, bucketPrefix: "datasets/../imports/" }, /without \. or \.\./],
  ] as const) {
    const r = await t.gql(
      `mutation($id: ID!, $source: String!, $m: Boolean, $p: String) {
        startImport(datasetId: $id, format: COCO, source: $source, metadataOnly: $m, bucketPrefix: $p) { id } }`,
      { id, source: key, m: extra.metadataOnly, p: extra.bucketPrefix },
      t.users.CURATOR,
    );
    assert.equal(r.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", JSON.stringify(r.errors));
    assert.match(r.errors![0]!.message, pattern);
  }
});

const CPLID = "/work/shared/datasets/cplid-sample";
test(
  "the CPLID sample imports as 220 images, 283 insulator and 160 defect boxes",
  { skip: !existsSync(CPLID) },
  async () => {
    const { zipFolder } = await import("../../../cli/src/commands/import.ts");
    const id = await dataset("cplid");
    const { stream } = await zipFolder(CPLID);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const job = await runImport(id, "VOC", Buffer.concat(chunks));
    assert.equal(job.status, "SUCCEEDED", JSON.stringify(job.errors.slice(0, 5)));
    assert.equal(job.imagesAdded, 220);
    assert.deepEqual(job.boxesAdded, [
      { className: "defect", boxes: 160 },
      { className: "insulator", boxes: 283 },
    ]);
    assert.deepEqual(await counts(id), { images: 220, boxes: 443, counted: 443 });
  },
);

test("metadata mode refuses a GIF as an upload does: one table of image types", async () => {
  const id = await dataset("metadata-gif");
  const prefix = "datasets/metadata-gif/";
  await t.storage.put("images", `${prefix}images/g.gif`, await makeGif(16, 16), {
    contentType: "image/gif",
  });
  await t.storage.put("images", `${prefix}images/p.png`, png(16, 16), {
    contentType: "image/png",
  });
  const coco = {
    images: [
      { id: 1, file_name: "g.gif", width: 16, height: 16 },
      { id: 2, file_name: "p.png", width: 16, height: 16 },
    ],
    categories: [{ id: 1, name: "crack" }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] },
      { id: 2, image_id: 2, category_id: 1, bbox: [1, 1, 5, 5] },
    ],
  };
  const zip = await zipOf({ "annotations/instances.json": JSON.stringify(coco) });
  const job = await runImport(id, "COCO", zip, { metadataOnly: true, bucketPrefix: prefix });
  assert.equal(job.status, "SUCCEEDED");
  assert.equal(job.imagesAdded, 1);
  assert.deepEqual(
    job.errors.map((e) => [e.file, e.code]),
    [["images/g.gif", "UNSUPPORTED"]],
  );
  assert.match(job.errors[0]!.message, /\.gif is not an image type the platform takes/);
  assert.deepEqual(await counts(id), { images: 1, boxes: 1, counted: 1 });
});
