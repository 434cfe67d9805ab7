// Round trips: import → version → export → re-import into a new dataset gives the same images and
// boxes (exact for VOC and COCO, within 1 px for YOLO's normalised coordinates).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { vocXmlOf, zipOf } from "../../../../packages/formats/src/test-fixtures.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi({}, { jobs: true });
});
after(async () => {
  await t.close();
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await t.gql<T>(query, variables, t.users.CURATOR);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

async function poll<T extends { status: string }>(
  query: string,
  id: string,
  field: string,
): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const data = await gql<Record<string, T>>(query, { id });
    const job = data[field]!;
    if (job.status === "SUCCEEDED" || job.status === "FAILED") return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("job did not finish");
}

async function importZip(datasetId: string, format: string, zip: Buffer) {
  const { requestImportUpload: ticket } = await gql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    {
      id: datasetId,
      bytes: zip.length,
    },
  );
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(zip),
  });
  assert.equal(put.status, 200);
  const { startImport } = await gql<{ startImport: { id: string } }>(
    `mutation($id: ID!, $format: DatasetFormat!, $key: String!) { startImport(datasetId: $id, format: $format, source: $key) { id } }`,
    { id: datasetId, format, key: ticket.key },
  );
  const job = await poll<{ status: string; imagesAdded: number; errors: unknown[] }>(
    `query($id: ID!) { importJob(id: $id) { status imagesAdded errors { file code message } } }`,
    startImport.id,
    "importJob",
  );
  assert.equal(job.status, "SUCCEEDED");
  assert.deepEqual(job.errors, []);
  return job;
}

async function snapshot(datasetId: string) {
  const { rows } = await t.db.pool.query(
    `SELECT i.sha256, i.split::text AS split, c.name, a.x, a.y, a.width, a.height
     FROM "Image" i LEFT JOIN "Annotation" a ON a."imageId" = i.id LEFT JOIN "DefectClass" c ON c.id = a."classId"
     WHERE i."datasetId" = $1 ORDER BY i.sha256, c.name, a.x, a.y`,
    [datasetId],
  );
  return rows as {
    sha256: string;
    split: string;
    name: string | null;
    x: number;
    y: number;
    width: number;
    height: number;
  }[];
}

let source: { id: string; versionId: string };
async function sourceVersion() {
  if (source) return source;
  const { createDataset } = await gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "round-trip-source" }) { id } }`,
  );
  const size = { width: 64, height: 48 };
  const zip = await zipOf({
    "JPEGImages/a.png": await makePng(64, 48, 1),
    "JPEGImages/b.png": await makePng(64, 48, 2),
    "JPEGImages/c.png": await makePng(64, 48, 3),
    "Annotations/a.xml": vocXmlOf("a.png", size, [
      ["crack", 1, 1, 10, 10],
      ["nest", 20, 20, 40, 40],
    ]),
    "Annotations/b.xml": vocXmlOf("b.png", size, [["crack", 5, 6, 30, 31]]),
    "Annotations/c.xml": vocXmlOf("c.png", size, []),
    "ImageSets/Main/train.txt": "a\nc\n",
    "ImageSets/Main/val.txt": "b\n",
  });
  await importZip(createDataset.id, "VOC", zip);
  const { createVersion } = await gql<{ createVersion: { id: string } }>(
    `mutation($id: ID!) { createVersion(datasetId: $id, note: "for export") { id } }`,
    { id: createDataset.id },
  );
  source = { id: createDataset.id, versionId: createVersion.id };
  return source;
}

for (const format of ["VOC", "COCO", "YOLO"] as const) {
  test(`${format}: export a version and import it again into a new dataset`, async () => {
    const { id, versionId } = await sourceVersion();
    const { exportVersion } = await gql<{ exportVersion: { id: string } }>(
      `mutation($id: ID!, $format: DatasetFormat!) { exportVersion(versionId: $id, format: $format) { id } }`,
      { id: versionId, format },
    );
    const job = await poll<{ status: string; images: number; boxes: number; url: string | null }>(
      `query($id: ID!) { exportJob(id: $id) { status images boxes url } }`,
      exportVersion.id,
      "exportJob",
    );
    assert.equal(job.status, "SUCCEEDED");
    assert.equal(job.images, 3);
    assert.equal(job.boxes, 3);
    assert.ok(job.url);
    const download = await fetch(job.url);
    assert.equal(download.status, 200);
    const zip = Buffer.from(await download.arrayBuffer());

    const { createDataset } = await gql<{ createDataset: { id: string } }>(
      `mutation($name: String!) { createDataset(input: { name: $name }) { id } }`,
      { name: `round-trip-${format.toLowerCase()}` },
    );
    const again = await importZip(createDataset.id, format, zip);
    assert.equal(again.imagesAdded, 3);
    const before = await snapshot(id);
    const afterRows = await snapshot(createDataset.id);
    assert.equal(afterRows.length, before.length);
    before.forEach((row, i) => {
      const other = afterRows[i]!;
      assert.equal(other.sha256, row.sha256);
      assert.equal(other.split, row.split);
      assert.equal(other.name, row.name);
      const tolerance = format === "YOLO" ? 1 : 0;
      for (const k of ["x", "y", "width", "height"] as const) {
        if (row[k] === null) continue;
        assert.ok(
          Math.abs(other[k] - row[k]) <= tolerance,
          `${format} ${k}: ${other[k]} vs ${row[k]}`,
        );
      }
    });
  });
}

test("exports filter by split and refuse bad input", async () => {
  const { versionId } = await sourceVersion();
  const { exportVersion } = await gql<{ exportVersion: { id: string } }>(
    `mutation($id: ID!) { exportVersion(versionId: $id, format: COCO, splits: [VAL]) { id } }`,
    { id: versionId },
  );
  const job = await poll<{ status: string; images: number }>(
    `query($id: ID!) { exportJob(id: $id) { status images } }`,
    exportVersion.id,
    "exportJob",
  );
  assert.deepEqual(job, { status: "SUCCEEDED", images: 1 });
  const bad = await t.gql(
    `mutation($id: ID!) { exportVersion(versionId: $id, format: COCO, splits: [], syntheticShareCap: 2) { id } }`,
    { id: versionId },
    t.users.CURATOR,
  );
  assert.equal(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
});
