// Composite fills against a real PostgreSQL, S3-protocol server and job queue, with the committed
// fixture model: full-size images on real TRAIN hosts carrying the host's boxes exactly plus the
// new one, placed inside the image and clear of the host's boxes (or inside a host-class box),
// for both methods; regenerate replays them byte for byte; counters, the balance and the fill plan
// equal a recount although the composites carry other classes' boxes; every refused option writes
// nothing; the export's leakage guard covers hosts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { fixtureCritic, fixtureGenerator, boxImage } from "@gridfill/generator/testing";
import { composite } from "@gridfill/generator";
import { openZip } from "@gridfill/formats";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import {
  rebuildCounters,
  recomputeCounters,
  readCounters,
} from "@gridfill/core/balance/counters.ts";
import { balanceStatistics, planFill } from "@gridfill/balance";
import { registerModelBytes } from "@gridfill/core/models/service.ts";
import { PREVIEW_TTL_SECONDS, sweepPreviews } from "@gridfill/core/fills/preview.ts";

let t: TestApi;
let datasetId: string;
const classes: Record<string, string> = {};
let modelId: string;
const W = 160,
  H = 120;

type Box = { x: number; y: number; width: number; height: number };

async function addImage(
  name: string,
  split: "TRAIN" | "VAL",
  boxes: [string, Box][],
  seed: number,
) {
  const image = await addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    {
      datasetId,
      buffer: await boxImage(
        W,
        H,
        boxes[0]?.[1] ?? { x: 0, y: 0, width: 1, height: 1 },
        [60 + seed * 11, 180 - seed * 5, 90 + seed * 7],
        seed,
      ),
      filename: `${name}.png`,
      split,
      annotations: boxes.map(([className, box]) => ({ className, box })),
      actor: null,
    },
  );
  return image;
}

before(async () => {
  t = await startTestApi(
    { GRIDFILL_FILL_MAX_COUNT: "40", GRIDFILL_FILL_BATCH: "4" },
    { jobs: true },
  );
  const prisma = t.db.prisma;
  datasetId = (
    await prisma.dataset.create({ data: { name: "composites", syntheticShareCap: 0.9 } })
  ).id;
  const insulator = await prisma.defectClass.create({
    data: { datasetId, name: "insulator", isHostObject: true },
  });
  classes.insulator = insulator.id;
  for (const name of ["crack", "bird_nest", "lone"])
    classes[name] = (await prisma.defectClass.create({ data: { datasetId, name } })).id;
  classes.defect = (
    await prisma.defectClass.create({
      data: { datasetId, name: "defect", hostClassId: insulator.id },
    })
  ).id;
  let seed = 1;
  // clean hosts: insulators only
  for (let i = 0; i < 3; i++, seed++)
    await addImage(
      `clean-${i}`,
      "TRAIN",
      [
        ["insulator", { x: 20 + i * 10, y: 10, width: 40, height: 90 }],
        ["insulator", { x: 100, y: 15 + i * 5, width: 36, height: 80 }],
      ],
      seed,
    );
  // defects on insulators: the size ratio comes from these
  for (let i = 0; i < 4; i++, seed++)
    await addImage(
      `defect-${i}`,
      "TRAIN",
      [
        ["insulator", { x: 30, y: 10, width: 40, height: 96 }],
        ["defect", { x: 38 + i * 2, y: 30 + i * 8, width: 18, height: 14 }],
      ],
      seed,
    );
  // cracks with a bird nest beside them: composites on these carry both classes
  for (let i = 0; i < 4; i++, seed++)
    await addImage(
      `crack-${i}`,
      "TRAIN",
      [
        ["crack", { x: 20 + i * 6, y: 24 + i * 4, width: 22 + i * 2, height: 18 }],
        ["bird_nest", { x: 100, y: 60, width: 30, height: 24 }],
      ],
      seed,
    );
  // a class with two real instances, fewer than copy-paste's K
  for (let i = 0; i < 2; i++, seed++)
    await addImage(`lone-${i}`, "TRAIN", [["lone", { x: 60, y: 40, width: 20, height: 20 }]], seed);
  await addImage("crack-val", "VAL", [["crack", { x: 30, y: 30, width: 20, height: 20 }]], seed++);
  modelId = (
    await registerModelBytes({ prisma, storage: t.storage }, null, {
      name: "fixture",
      version: "1",
      generator: fixtureGenerator(),
      critic: fixtureCritic(),
      activate: true,
    })
  ).id;
});
after(async () => {
  await t?.close();
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await t.gql<T>(query, variables, t.users.CURATOR);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

async function fill(input: Record<string, unknown>) {
  const { requestFill } = await gql<{ requestFill: { id: string } }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
    { input: { datasetId, ...input } },
  );
  for (let i = 0; i < 600; i++) {
    const row = await t.db.prisma.fillRequest.findUniqueOrThrow({
      where: { id: requestFill.id },
    });
    if (!["QUEUED", "RUNNING"].includes(row.status)) {
      assert.equal(row.status, "SUCCEEDED", row.error ?? "");
      return t.db.prisma.lineage.findMany({
        where: { requestId: row.id },
        orderBy: { sampleIndex: "asc" },
        include: { image: { include: { annotations: { orderBy: { id: "asc" } } } } },
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the fill did not finish");
}

const boxOf = (a: Box): Box => ({ x: a.x, y: a.y, width: a.width, height: a.height });
const inside = (b: Box, o: Box) =>
  b.x >= o.x && b.y >= o.y && b.x + b.width <= o.x + o.width && b.y + b.height <= o.y + o.height;

/** Every composite: host-sized, a real TRAIN host, the host's boxes exactly plus the new one. */
async function checkComposites(
  lineages: Awaited<ReturnType<typeof fill>>,
  classId: string,
  method: "MODEL" | "COPY_PASTE",
) {
  for (const l of lineages) {
    assert.equal(l.method, method);
    assert.equal(l.output, "COMPOSITE");
    const host = await t.db.prisma.image.findUniqueOrThrow({
      where: { id: l.hostImageId! },
      include: { annotations: { orderBy: { id: "asc" } } },
    });
    assert.equal(host.split, "TRAIN");
    assert.equal(host.origin, "REAL");
    assert.equal(l.hostSha256, host.sha256);
    assert.deepEqual([l.image.width, l.image.height], [host.width, host.height]);
    assert.equal(l.image.mimeType, host.mimeType);
    const stored = await t.storage.getBuffer("images", l.image.objectKey, { maxBytes: 1 << 22 });
    assert.equal(createHash("sha256").update(stored).digest("hex"), l.image.sha256);
    const decoded = await composite.decodeRaster(stored);
    assert.deepEqual([decoded.width, decoded.height], [host.width, host.height]);
    const carried = l.image.annotations.slice(0, -1);
    const added = l.image.annotations.at(-1)!;
    assert.deepEqual(
      carried.map((a) => [a.classId, boxOf(a)]),
      host.annotations.map((a) => [a.classId, boxOf(a)]),
      "the host's boxes are carried over exactly",
    );
    assert.equal(added.classId, classId);
    assert.equal(added.source, "GENERATED");
    assert.deepEqual(boxOf(added), l.placement);
    assert.ok(inside(added, { x: 0, y: 0, width: host.width, height: host.height }));
  }
}

async function countersMatchRecount() {
  assert.deepEqual(
    await readCounters(t.db.prisma, datasetId),
    await recomputeCounters(t.db.prisma, datasetId),
  );
}

async function regeneratesIdentically(imageId: string) {
  const { regenerate } = await gql<{ regenerate: { identical: boolean; sha256: string } }>(
    `mutation($id: ID!) { regenerate(imageId: $id) { identical sha256 } }`,
    { id: imageId },
  );
  assert.equal(regenerate.identical, true);
}

test("model composites: full-size real train hosts with their boxes plus one new box clear of them, replayed byte for byte", async () => {
  const lineages = await fill({ classId: classes.crack, count: 6, hosts: "ANY", seed: "17" });
  assert.equal(lineages.length, 6);
  await checkComposites(lineages, classes.crack!, "MODEL");
  for (const l of lineages) {
    assert.equal(l.modelVersionId, modelId);
    assert.equal(l.referenceImageIds.length, 3);
    const added = l.image.annotations.at(-1)!;
    for (const a of l.image.annotations.slice(0, -1))
      assert.ok(composite.iou(added, a) < composite.MAX_OVERLAP_IOU, "IoU with a host box");
  }
  assert.ok(
    lineages.some((l) => l.image.annotations.some((a) => a.classId !== classes.crack)),
    "some composites carry another class's boxes",
  );
  await countersMatchRecount();
  await regeneratesIdentically(lineages[0]!.imageId);
  await regeneratesIdentically(lineages[5]!.imageId);
});

test("copy-paste composites: a real train instance of the class on a host, replayed byte for byte", async () => {
  const lineages = await fill({
    classId: classes.crack,
    count: 5,
    method: "COPY_PASTE",
    hosts: "ANY",
    seed: "99",
  });
  await checkComposites(lineages, classes.crack!, "COPY_PASTE");
  const trainCracks = new Set(
    (
      await t.db.prisma.image.findMany({
        where: { datasetId, split: "TRAIN", origin: "REAL", filename: { startsWith: "crack-" } },
      })
    ).map((i) => i.id),
  );
  for (const l of lineages) {
    assert.equal(l.modelVersionId, null);
    assert.equal(l.referenceImageIds.length, 1);
    assert.ok(trainCracks.has(l.referenceImageIds[0]!), "the instance is a real train crack");
  }
  await countersMatchRecount();
  await regeneratesIdentically(lineages[0]!.imageId);
  await regeneratesIdentically(lineages[4]!.imageId);
});

test("with a host class, composites go on clean hosts, inside one of their host-class boxes", async () => {
  const lineages = await fill({ classId: classes.defect, count: 6, seed: "5" });
  await checkComposites(lineages, classes.defect!, "MODEL");
  for (const l of lineages) {
    const host = await t.db.prisma.image.findUniqueOrThrow({ where: { id: l.hostImageId! } });
    assert.match(host.filename, /^clean-/, "CLEAN_ONLY draws hosts without defect boxes");
    const insulators = l.image.annotations.filter((a) => a.classId === classes.insulator);
    const added = l.image.annotations.at(-1)!;
    assert.ok(
      insulators.some((i) => inside(added, i)),
      `${JSON.stringify(boxOf(added))} lies on no insulator`,
    );
  }
  await countersMatchRecount();
});

async function writes() {
  const [jobs] = await t.db.prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'gridfill-fill'`,
  );
  return {
    requests: await t.db.prisma.fillRequest.count(),
    jobs: jobs!.n,
    images: await t.db.prisma.image.count(),
  };
}

const REFUSALS: [string, () => Record<string, unknown>, RegExp, string][] = [
  [
    "copy-paste with crops",
    () => ({ classId: classes.crack, count: 2, method: "COPY_PASTE", output: "CROP" }),
    /copy-paste makes composites only/,
    "INVALID_OPTION",
  ],
  [
    "copy-paste naming a model",
    () => ({ classId: classes.crack, count: 2, method: "COPY_PASTE", modelVersionId: modelId }),
    /uses no model/,
    "INVALID_OPTION",
  ],
  [
    "copy-paste with fewer than K real instances",
    () => ({ classId: classes.lone, count: 2, method: "COPY_PASTE", hosts: "ANY" }),
    /a copy-paste fill needs at least/,
    "NOT_ENOUGH_REFERENCES",
  ],
  [
    "a fill plan for a host-object class",
    () => ({ classId: classes.insulator, strategy: { kind: "TO_MAX" } }),
    /is a host object/,
    "NOTHING_TO_FILL",
  ],
];

for (const [what, input, pattern, reason] of REFUSALS) {
  test(`requestFill refuses ${what}, writing nothing`, async () => {
    const before = await writes();
    const r = await t.gql(
      `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
      { input: { datasetId, ...input() } },
      t.users.CURATOR,
    );
    assert.ok(r.errors?.length, `expected a refusal of ${what}`);
    assert.match(r.errors![0]!.message, pattern);
    assert.equal(r.errors![0]!.extensions?.reason, reason);
    assert.deepEqual(await writes(), before, "a refused request writes nothing");
  });
}

test("leakage guard: an export leaves out composites whose host is no longer a real train image", async () => {
  const pending = await t.db.prisma.image.findMany({
    where: { datasetId, origin: "SYNTHETIC", reviewState: "PENDING" },
  });
  await gql(
    `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: ACCEPT) { changed } }`,
    {
      ids: pending.map((p) => p.id),
    },
  );
  const composites = await t.db.prisma.lineage.findMany({
    where: { image: { datasetId, reviewState: "ACCEPTED" }, hostImageId: { not: null } },
  });
  // a host that is no reference of any composite, so only the host rule can leave them out
  const references = new Set(composites.flatMap((l) => l.referenceImageIds));
  const moved = composites.map((l) => l.hostImageId!).find((h) => !references.has(h));
  assert.ok(moved, "some host is no reference");
  await gql(`mutation($ids: [ID!]!) { setImageSplit(imageIds: $ids, split: VAL) }`, {
    ids: [moved],
  });
  const leaky = new Set(composites.filter((l) => l.hostImageId === moved).map((l) => l.imageId));

  const { createVersion } = await gql<{ createVersion: { id: string } }>(
    `mutation($d: ID!) { createVersion(datasetId: $d, note: "composites") { id } }`,
    { d: datasetId },
  );
  const { exportVersion } = await gql<{ exportVersion: { id: string } }>(
    `mutation($v: ID!) { exportVersion(versionId: $v, format: COCO, includeSynthetic: ACCEPTED, syntheticShareCap: 0.95) { id } }`,
    { v: createVersion.id },
  );
  let status = "";
  for (let i = 0; i < 300 && !["SUCCEEDED", "FAILED"].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 200));
    status = (
      await gql<{ exportJob: { status: string } }>(
        `query($id: ID!) { exportJob(id: $id) { status } }`,
        {
          id: exportVersion.id,
        },
      )
    ).exportJob.status;
  }
  assert.equal(status, "SUCCEEDED");
  const job = await t.db.prisma.exportJob.findUniqueOrThrow({ where: { id: exportVersion.id } });
  const zipPath = path.join(await mkdtemp(path.join(tmpdir(), "gridfill-composites-")), "e.zip");
  await writeFile(
    zipPath,
    await t.storage.getBuffer("exports", job.objectKey!, { maxBytes: 50 << 20 }),
  );
  const tree = await openZip(zipPath);
  const exported: string[] = [];
  for (const f of (await tree.listFiles()).filter((f) => f.startsWith("lineage/")))
    exported.push(
      (JSON.parse((await text(tree.open(f))) as string) as { imageId: string }).imageId,
    );
  await tree.close();
  assert.ok(exported.length > 0, "composites on hosts still in train are exported");
  for (const id of exported)
    assert.ok(!leaky.has(id), `composite ${id} on a val host was exported`);
});

test("a class takes a host class of its own dataset and a host-object flag; itself or another dataset's class is refused", async () => {
  const { updateClass } = await gql<{
    updateClass: { hostClass: { name: string } | null; isHostObject: boolean };
  }>(
    `mutation($id: ID!, $h: ID) { updateClass(id: $id, input: { hostClassId: $h, isHostObject: false }) { hostClass { name } isHostObject } }`,
    { id: classes.crack, h: classes.insulator },
  );
  assert.deepEqual(updateClass, { hostClass: { name: "insulator" }, isHostObject: false });
  const other = await t.db.prisma.dataset.create({ data: { name: "elsewhere" } });
  const foreign = await t.db.prisma.defectClass.create({
    data: { datasetId: other.id, name: "insulator" },
  });
  for (const [h, pattern] of [
    [classes.crack, /its own host class/],
    [foreign.id, /not in this dataset/],
  ] as const) {
    const r = await t.gql(
      `mutation($id: ID!, $h: ID) { updateClass(id: $id, input: { hostClassId: $h }) { id } }`,
      { id: classes.crack, h },
      t.users.CURATOR,
    );
    assert.match(r.errors?.[0]?.message ?? "", pattern);
  }
  const row = await t.db.prisma.defectClass.findUniqueOrThrow({ where: { id: classes.crack } });
  assert.equal(row.hostClassId, classes.insulator, "a refused update changes nothing");
  const cleared = await gql<{ updateClass: { hostClass: null } }>(
    `mutation($id: ID!) { updateClass(id: $id, input: { hostClassId: null }) { hostClass { name } } }`,
    { id: classes.crack },
  );
  assert.equal(cleared.updateClass.hostClass, null);
});

test("previewFill renders samples on a worker and writes no row; old previews are swept", async () => {
  const rows = async () => ({
    requests: await t.db.prisma.fillRequest.count(),
    images: await t.db.prisma.image.count(),
    annotations: await t.db.prisma.annotation.count(),
    lineages: await t.db.prisma.lineage.count(),
  });
  const before = await rows();
  const { previewFill } = await gql<{
    previewFill: {
      id: string;
      samples: {
        url: string;
        width: number;
        height: number;
        mimeType: string;
        placement: Box | null;
        boxes: number;
      }[];
    };
  }>(
    `mutation($input: RequestFillInput!) { previewFill(input: $input, samples: 4) { id samples { url width height mimeType placement { x y width height } boxes } } }`,
    { input: { datasetId, classId: classes.crack, count: 1, method: "COPY_PASTE", seed: "3" } },
  );
  assert.equal(previewFill.samples.length, 4);
  for (const s of previewFill.samples) {
    assert.deepEqual([s.width, s.height], [W, H]);
    assert.ok(s.placement && s.boxes >= 1);
    const response = await fetch(s.url);
    assert.equal(response.status, 200);
    const raster = await composite.decodeRaster(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual([raster.width, raster.height], [W, H]);
  }
  assert.deepEqual(await rows(), before, "a preview writes no row");

  const refused = await t.gql(
    `mutation($input: RequestFillInput!) { previewFill(input: $input) { id } }`,
    {
      input: { datasetId, classId: classes.crack, count: 1, method: "COPY_PASTE", output: "CROP" },
    },
    t.users.CURATOR,
  );
  assert.match(refused.errors?.[0]?.message ?? "", /composites only/);

  const keys = async () => {
    const found: string[] = [];
    for await (const key of t.storage.listKeys("exports", `previews/${previewFill.id}/`))
      found.push(key);
    return found;
  };
  assert.equal((await keys()).length, 5, "the checked request and four samples");
  await sweepPreviews(t.storage, Date.now() + (PREVIEW_TTL_SECONDS + 1) * 1000);
  assert.deepEqual(await keys(), []);
});

async function exportedZip(versionId: string, format: string): Promise<Buffer> {
  const { exportVersion } = await gql<{ exportVersion: { id: string } }>(
    `mutation($v: ID!, $f: DatasetFormat!) { exportVersion(versionId: $v, format: $f, includeSynthetic: ACCEPTED, syntheticShareCap: 0.95) { id } }`,
    { v: versionId, f: format },
  );
  for (let i = 0; i < 300; i++) {
    const job = await t.db.prisma.exportJob.findUniqueOrThrow({ where: { id: exportVersion.id } });
    if (job.status === "SUCCEEDED")
      return t.storage.getBuffer("exports", job.objectKey!, { maxBytes: 50 << 20 });
    assert.notEqual(job.status, "FAILED", job.message ?? "");
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the export did not finish");
}

test("a VOC export of accepted composites re-imports with the same boxes", async () => {
  const { createVersion } = await gql<{ createVersion: { id: string } }>(
    `mutation($d: ID!) { createVersion(datasetId: $d, note: "voc round trip") { id } }`,
    { d: datasetId },
  );
  const zip = await exportedZip(createVersion.id, "VOC");
  const { createDataset } = await gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "composites-again" }) { id } }`,
  );
  const { requestImportUpload: ticket } = await gql<{
    requestImportUpload: { key: string; url: string; headers: Record<string, string> };
  }>(
    `mutation($id: ID!, $bytes: Float!) { requestImportUpload(datasetId: $id, bytes: $bytes) { key url headers } }`,
    {
      id: createDataset.id,
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
    `mutation($id: ID!, $key: String!) { startImport(datasetId: $id, format: VOC, source: $key) { id } }`,
    { id: createDataset.id, key: ticket.key },
  );
  for (let i = 0; i < 300; i++) {
    const job = await t.db.prisma.importJob.findUniqueOrThrow({ where: { id: startImport.id } });
    if (job.status === "SUCCEEDED") break;
    assert.notEqual(job.status, "FAILED");
    await new Promise((r) => setTimeout(r, 200));
  }
  const boxes = async (id: string, synthetic: boolean) => {
    const { rows } = await t.db.pool.query(
      `SELECT i.sha256, c.name, a.x, a.y, a.width, a.height
       FROM "Image" i JOIN "Annotation" a ON a."imageId" = i.id JOIN "DefectClass" c ON c.id = a."classId"
       WHERE i."datasetId" = $1 AND ($2::bool IS FALSE OR (i.origin = 'SYNTHETIC' AND i."reviewState" = 'ACCEPTED'))
       ORDER BY i.sha256, c.name, a.x, a.y, a.width`,
      [id, synthetic],
    );
    return rows as { sha256: string }[];
  };
  const composites = await boxes(datasetId, true);
  const exportedShas = new Set((await boxes(createDataset.id, false)).map((r) => r.sha256));
  const exported = composites.filter((r) => exportedShas.has(r.sha256));
  assert.ok(exported.length > 0, "accepted composites are in the export");
  assert.deepEqual(
    (await boxes(createDataset.id, false)).filter((r) =>
      exported.some((e) => e.sha256 === r.sha256),
    ),
    exported,
  );
});

test("fill plans leave host-object classes out: they are neither targets nor the level others are filled to", async () => {
  const { fillPlan } = await gql<{
    fillPlan: {
      level: number;
      classes: { current: number; defectClass: { name: string; isHostObject: boolean } }[];
    };
  }>(
    `query($d: ID!) { fillPlan(datasetId: $d, strategy: { kind: TO_MAX }) { level classes { current defectClass { name isHostObject } } } }`,
    { d: datasetId },
  );
  const names = fillPlan.classes.map((c) => c.defectClass.name);
  assert.ok(!names.includes("insulator"), JSON.stringify(names));
  assert.ok(names.includes("crack"));
  assert.ok(fillPlan.classes.every((c) => !c.defectClass.isHostObject));
  // insulator is on more images than any defect class: the level is the largest defect class's
  assert.equal(fillPlan.level, Math.max(...fillPlan.classes.map((c) => c.current)));
});

test("a composite counts for every class it carries: after fills on hosts with other classes, the balance and the fill plan are what a recount gives", async () => {
  // Pending composites beside the accepted ones: on any host, so some carry a bird nest.
  const lineages = await fill({
    classId: classes.crack,
    count: 6,
    method: "COPY_PASTE",
    hosts: "ANY",
    seed: "23",
  });
  const nests = (state: "PENDING" | "ACCEPTED") =>
    t.db.prisma.image.count({
      where: {
        datasetId,
        origin: "SYNTHETIC",
        reviewState: state,
        annotations: { some: { classId: classes.bird_nest } },
      },
    });
  assert.ok(
    lineages.some((l) => l.image.annotations.some((a) => a.classId === classes.bird_nest)),
    "some new composite carries its host's bird nest",
  );
  assert.ok((await nests("ACCEPTED")) > 0, "some accepted composite carries a bird nest");
  await countersMatchRecount();

  const defects = (
    await t.db.prisma.defectClass.findMany({ where: { datasetId }, orderBy: { id: "asc" } })
  ).filter((c) => !c.isHostObject);
  for (const countPendingSynthetic of [false, true]) {
    await t.db.prisma.dataset.update({
      where: { id: datasetId },
      data: { countPendingSynthetic },
    });
    const policy = countPendingSynthetic ? "accepted-and-pending" : "accepted";
    const recount = (await recomputeCounters(t.db.prisma, datasetId)).filter((r) =>
      defects.some((c) => c.id === r.classId),
    );
    const expected = planFill(
      balanceStatistics(defects, recount, { countSynthetic: policy, unit: "images" }),
      { kind: "TO_MAX" },
      { shots: 3, syntheticShareCap: 0.9, countSynthetic: policy },
    );
    const { fillPlan, balance } = await gql<{
      fillPlan: {
        level: number;
        classes: {
          defectClass: { id: string };
          realTrainImages: number;
          syntheticImages: number;
          current: number;
          target: number;
          toGenerate: number;
        }[];
      };
      balance: {
        classes: {
          defectClass: { id: string };
          real: number;
          syntheticAccepted: number;
          syntheticPending: number;
        }[];
      };
    }>(
      `query($d: ID!) {
        fillPlan(datasetId: $d, strategy: { kind: TO_MAX }) { level classes { defectClass { id } realTrainImages syntheticImages current target toGenerate } }
        balance(datasetId: $d, unit: IMAGES) { classes { defectClass { id } real syntheticAccepted syntheticPending } }
      }`,
      { d: datasetId },
    );
    const byClass = <T extends { defectClass: { id: string } }>(rows: T[]) =>
      Object.fromEntries(rows.map(({ defectClass, ...rest }) => [defectClass.id, rest]));
    assert.equal(fillPlan.level, expected.level);
    assert.deepEqual(
      byClass(fillPlan.classes),
      Object.fromEntries(
        expected.classes.map((c) => [
          c.classId,
          {
            realTrainImages: c.realTrainImages,
            syntheticImages: c.syntheticImages,
            current: c.current,
            target: c.target,
            toGenerate: c.toGenerate,
          },
        ]),
      ),
      `the plan under the ${policy} policy is the recount's`,
    );
    const nest = byClass(fillPlan.classes)[classes.bird_nest!]!;
    assert.equal(
      nest.syntheticImages,
      (await nests("ACCEPTED")) + (countPendingSynthetic ? await nests("PENDING") : 0),
      "the bird nests composites carried count as synthetic bird nest images",
    );
    assert.equal(nest.current, nest.realTrainImages + nest.syntheticImages);
    const nestBalance = byClass(balance.classes)[classes.bird_nest!]!;
    assert.deepEqual(nestBalance, {
      real: await t.db.prisma.image.count({
        where: {
          datasetId,
          origin: "REAL",
          annotations: { some: { classId: classes.bird_nest } },
        },
      }),
      syntheticAccepted: await nests("ACCEPTED"),
      syntheticPending: await nests("PENDING"),
    });
    assert.ok(!(classes.insulator! in byClass(balance.classes)), "no host object in the balance");
  }
  await t.db.prisma.dataset.update({
    where: { id: datasetId },
    data: { countPendingSynthetic: false },
  });
});

test("a composite carries its host's predicted boxes as reviewed as they were, and the counters count the unreviewed ones", async () => {
  // The hosts' bird nests become pre-labels: the first confirmed, the others unreviewed.
  const hostNests = await t.db.prisma.annotation.findMany({
    where: { classId: classes.bird_nest, image: { datasetId, origin: "REAL", split: "TRAIN" } },
    orderBy: { id: "asc" },
  });
  assert.ok(hostNests.length >= 2);
  await t.db.prisma.annotation.updateMany({
    where: { id: { in: hostNests.map((a) => a.id) } },
    data: { source: "PREDICTED", review: "UNREVIEWED" },
  });
  await t.db.prisma.annotation.update({
    where: { id: hostNests[0]!.id },
    data: { review: "CONFIRMED" },
  });
  await t.db.prisma.$transaction((tx) => rebuildCounters(tx, datasetId));

  const lineages = await fill({
    classId: classes.crack,
    count: 8,
    method: "COPY_PASTE",
    hosts: "ANY",
    seed: "29",
  });
  const reviews = async (imageId: string) =>
    (
      await t.db.prisma.annotation.findMany({
        where: { imageId, classId: classes.bird_nest },
        orderBy: { id: "asc" },
      })
    ).map((a) => `${a.source}/${a.review}`);
  let unreviewed = 0;
  for (const l of lineages) {
    const carried = await reviews(l.imageId);
    assert.deepEqual(carried, await reviews(l.hostImageId!), "as the host's");
    unreviewed += carried.filter((r) => r === "PREDICTED/UNREVIEWED").length;
  }
  assert.ok(unreviewed > 0, "some composite carries an unreviewed predicted bird nest");
  await countersMatchRecount();

  // Left out, the bird nests of the balance are what a recount gives without them.
  await t.db.prisma.dataset.update({
    where: { id: datasetId },
    data: { countUnreviewedPredicted: false },
  });
  try {
    const defects = (
      await t.db.prisma.defectClass.findMany({ where: { datasetId }, orderBy: { id: "asc" } })
    ).filter((c) => !c.isHostObject);
    const expected = balanceStatistics(
      defects,
      (await recomputeCounters(t.db.prisma, datasetId)).filter((r) =>
        defects.some((c) => c.id === r.classId),
      ),
      { countSynthetic: "accepted", countUnreviewedPredicted: false, unit: "boxes" },
    ).classes.find((c) => c.classId === classes.bird_nest)!;
    const { balance } = await gql<{
      balance: {
        countUnreviewedPredicted: boolean;
        classes: { defectClass: { id: string }; counted: number; unreviewedPredicted: number }[];
      };
    }>(
      `query($d: ID!) { balance(datasetId: $d, unit: BOXES) { countUnreviewedPredicted classes { defectClass { id } counted unreviewedPredicted } } }`,
      { d: datasetId },
    );
    assert.equal(balance.countUnreviewedPredicted, false);
    const nest = balance.classes.find((c) => c.defectClass.id === classes.bird_nest)!;
    assert.deepEqual(
      [nest.counted, nest.unreviewedPredicted],
      [expected.count, expected.unreviewedPredicted.boxes],
    );
    assert.ok(nest.unreviewedPredicted > 0);
  } finally {
    await t.db.prisma.dataset.update({
      where: { id: datasetId },
      data: { countUnreviewedPredicted: true },
    });
  }
});
