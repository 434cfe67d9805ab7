// Synthetic fills against a real PostgreSQL, a real S3-protocol server and the job queue, with the
// committed tiny fixture model (32 px, K = 3): registration, every refusal of requestFill (each
// writing nothing), a fill from request to reviewed images, resume without gaps or duplicates,
// cancel, regenerate, live progress over graphql-ws, and the leakage guard on exports.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { fixtureCritic, fixtureGenerator } from "@gridfill/generator/testing";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { ModelCache, runFillJob, syntheticKey } from "@gridfill/worker";
import { createLogger } from "@gridfill/core/log.ts";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { openZip } from "@gridfill/formats";
import { addSeededBoxImage } from "../testing/box-images.ts";

let t: TestApi;
let datasetId: string;
const classes: Record<string, string> = {};
let modelId: string;

before(async () => {
  t = await startTestApi(
    {
      GRIDFILL_FILL_MAX_COUNT: "40",
      GRIDFILL_FILL_BATCH: "4",
      GRIDFILL_JOB_SUPERVISE_SECONDS: "1",
    },
    { jobs: true },
  );
  const prisma = t.db.prisma;
  const dataset = await prisma.dataset.create({ data: { name: "fills", syntheticShareCap: 0.9 } });
  datasetId = dataset.id;
  for (const name of ["crack", "bird_nest", "corrosion"]) {
    classes[name] = (
      await prisma.defectClass.create({ data: { datasetId, name, title: name } })
    ).id;
  }
  // crack: 5 train images (+1 val, +1 test); bird_nest: only 2 train images (+2 val); corrosion: 3 train.
  const plan: [string, "TRAIN" | "VAL" | "TEST", number][] = [
    ["crack", "TRAIN", 5],
    ["crack", "VAL", 1],
    ["crack", "TEST", 1],
    ["bird_nest", "TRAIN", 2],
    ["bird_nest", "VAL", 2],
    ["corrosion", "TRAIN", 3],
  ];
  let seed = 1;
  for (const [name, split, n] of plan) {
    for (let i = 0; i < n; i++, seed++) {
      await addSeededBoxImage(t, datasetId, {
        seed,
        className: name,
        split,
        filename: `${name}-${split}-${i}.png`,
      });
    }
  }
});
after(async () => {
  await t?.close();
});

async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  as = t.users.CURATOR,
): Promise<T> {
  const r = await t.gql<T>(query, variables, as);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

async function refused(input: Record<string, unknown>, pattern: RegExp, reason?: string) {
  const before = await writes();
  const r = await t.gql(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
    { input },
    t.users.CURATOR,
  );
  assert.ok(r.errors?.length, `expected a refusal for ${JSON.stringify(input)}`);
  assert.match(r.errors![0]!.message, pattern);
  if (reason) assert.equal(r.errors![0]!.extensions?.reason, reason);
  assert.deepEqual(await writes(), before, "a refused request writes nothing");
}

/** What a request would write: requests, queued fill jobs, images. */
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

async function waitFor(
  id: string,
  done: (r: { status: string; completed: number }) => boolean,
  seconds = 120,
) {
  for (let i = 0; i < seconds * 5; i++) {
    const row = await t.db.prisma.fillRequest.findUniqueOrThrow({ where: { id } });
    if (done(row)) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fill request ${id} did not get there in ${seconds} s`);
}

test("models are registered through presigned uploads, checked, and activated; bad files are refused", async () => {
  const { requestModelUpload: ticket } = await gql<{
    requestModelUpload: {
      generatorKey: string;
      generatorUrl: string;
      criticKey: string;
      criticUrl: string;
      headers: Record<string, string>;
    };
  }>(
    `mutation($g: Int!, $c: Int) {
      requestModelUpload(generatorBytes: $g, criticBytes: $c) {
        generatorKey generatorUrl criticKey criticUrl headers
      }
    }`,
    { g: fixtureGenerator().length, c: fixtureCritic().length },
    t.users.ADMIN,
  );
  for (const [url, bytes] of [
    [ticket.generatorUrl, fixtureGenerator()],
    [ticket.criticUrl, fixtureCritic()],
  ] as const) {
    const put = await fetch(url, {
      method: "PUT",
      headers: ticket.headers,
      body: new Uint8Array(bytes),
    });
    assert.equal(put.status, 200);
  }
  const sha = createHash("sha256").update(fixtureGenerator()).digest("hex");
  const wrongSha = await t.gql(
    `mutation($i: RegisterModelInput!) { registerModel(input: $i) { id } }`,
    {
      i: {
        name: "fixture",
        version: "1",
        generatorKey: ticket.generatorKey,
        generatorSha256: "0".repeat(64),
      },
    },
    t.users.ADMIN,
  );
  assert.match(wrongSha.errors![0]!.message, /sha256/);
  assert.equal(await t.db.prisma.modelVersion.count(), 0);

  const { registerModel } = await gql<{
    registerModel: {
      id: string;
      status: string;
      imageSize: number;
      shots: number;
      generatorSha256: string;
      hasCritic: boolean;
    };
  }>(
    `mutation($i: RegisterModelInput!) { registerModel(input: $i) { id status imageSize shots generatorSha256 hasCritic } }`,
    {
      i: {
        name: "fixture",
        version: "1",
        generatorKey: ticket.generatorKey,
        criticKey: ticket.criticKey,
        generatorSha256: sha,
        metrics: { fd: 1.5 },
        activate: true,
      },
    },
    t.users.ADMIN,
  );
  assert.deepEqual(
    {
      status: registerModel.status,
      imageSize: registerModel.imageSize,
      shots: registerModel.shots,
      sha: registerModel.generatorSha256,
      critic: registerModel.hasCritic,
    },
    { status: "ACTIVE", imageSize: 32, shots: 3, sha, critic: true },
  );
  modelId = registerModel.id;

  // A corrupt file never reaches the registry.
  const notOnnx = Buffer.from("not an onnx file at all");
  const corrupt = await t.gql(
    `mutation($g: Int!) { requestModelUpload(generatorBytes: $g) { generatorKey generatorUrl headers } }`,
    { g: notOnnx.length },
    t.users.ADMIN,
  );
  const c = (
    corrupt.data as {
      requestModelUpload: {
        generatorKey: string;
        generatorUrl: string;
        headers: Record<string, string>;
      };
    }
  ).requestModelUpload;
  await fetch(c.generatorUrl, {
    method: "PUT",
    headers: c.headers,
    body: new Uint8Array(notOnnx),
  });
  const bad = await t.gql(
    `mutation($i: RegisterModelInput!) { registerModel(input: $i) { id } }`,
    { i: { name: "broken", version: "1", generatorKey: c.generatorKey } },
    t.users.ADMIN,
  );
  assert.match(bad.errors![0]!.message, /refused/);
  assert.equal(await t.db.prisma.modelVersion.count(), 1);

  const { modelVersions } = await gql<{
    modelVersions: { id: string; status: string; metrics: unknown }[];
  }>(`{ modelVersions { id status metrics } }`, {}, t.users.VIEWER);
  assert.deepEqual(modelVersions, [{ id: modelId, status: "ACTIVE", metrics: { fd: 1.5 } }]);
});

const base = () => ({ datasetId, classId: classes.crack });
const REFUSALS: [string, () => Record<string, unknown>, RegExp, string?][] = [
  [
    "fewer than K real train images with boxes",
    () => ({ ...base(), classId: classes.bird_nest, count: 2 }),
    /bird_nest has 2 real train image\(s\) with boxes; a model fill needs at least 3/,
    "NOT_ENOUGH_REFERENCES",
  ],
  [
    "a count of zero",
    () => ({ ...base(), count: 0 }),
    /count must be a whole number of at least 1/,
    "INVALID_COUNT",
  ],
  [
    "a negative count",
    () => ({ ...base(), count: -3 }),
    /count must be a whole number of at least 1/,
    "INVALID_COUNT",
  ],
  [
    "a count above the configured limit",
    () => ({ ...base(), count: 41 }),
    /above the limit of 40/,
    "COUNT_LIMIT",
  ],
  [
    "an unknown class",
    () => ({ ...base(), classId: "00000000-0000-7000-8000-000000000001", count: 2 }),
    /not found/i,
  ],
  [
    "an unknown model",
    () => ({ ...base(), count: 2, modelVersionId: "00000000-0000-7000-8000-000000000001" }),
    /not found/i,
  ],
  ["neither count nor strategy", () => ({ ...base() }), /either count or strategy/],
  [
    "a seed that is not an unsigned 64-bit number",
    () => ({ ...base(), count: 2, seed: "-1" }),
    /seed must be/,
  ],
];
for (const [what, input, pattern, reason] of REFUSALS) {
  test(`requestFill refuses ${what}, writing nothing`, async () => {
    await refused(input(), pattern, reason);
  });
}

test("requestFill refuses a count that would pass the dataset's synthetic share cap, writing nothing", async () => {
  // corrosion: 3 real train images; a 0.5 cap allows 3 synthetic ones.
  await t.db.prisma.dataset.update({ where: { id: datasetId }, data: { syntheticShareCap: 0.5 } });
  try {
    await refused(
      { ...base(), classId: classes.corrosion, count: 4 },
      /can take 3 more/,
      "SYNTHETIC_SHARE_CAP",
    );
  } finally {
    await t.db.prisma.dataset.update({
      where: { id: datasetId },
      data: { syntheticShareCap: 0.9 },
    });
  }
});

test("a fill can take its count from the fill plan", async () => {
  // corrosion: 3 real train images, no synthetic ones; bringing every class to 5 asks for 2.
  const { requestFill } = await gql<{
    requestFill: { id: string; count: number; strategy: { kind: string; plannedCount: number } };
  }>(`mutation($input: RequestFillInput!) { requestFill(input: $input) { id count strategy } }`, {
    input: { datasetId, classId: classes.corrosion, strategy: { kind: "TO_COUNT", count: 5 } },
  });
  assert.equal(requestFill.count, 2);
  assert.deepEqual(requestFill.strategy, { kind: "TO_COUNT", count: 5, plannedCount: 2 });
  await waitFor(requestFill.id, (r) => r.status === "SUCCEEDED");
  await refused(
    { datasetId, classId: classes.corrosion, strategy: { kind: "TO_COUNT", count: 3 } },
    /nothing to generate/,
    "NOTHING_TO_FILL",
  );
});

test("requestFill refuses a model whose stored bytes no longer match their sha256, writing nothing", async () => {
  const model = await t.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: modelId } });
  const original = fixtureGenerator();
  await t.storage.put("models", model.generatorKey, Buffer.concat([original, Buffer.from([0])]), {
    contentType: "application/octet-stream",
  });
  try {
    await refused(
      { datasetId, classId: classes.crack, count: 2 },
      /sha256 .* refusing to use it/,
      "SHA256_MISMATCH",
    );
  } finally {
    await t.storage.put("models", model.generatorKey, original, {
      contentType: "application/octet-stream",
    });
  }
});

test("requestFill refuses a model whose ONNX file is corrupt, writing nothing", async () => {
  // A registry row whose pinned bytes are garbage (the sha matches, the contract cannot).
  const garbage = Buffer.from("garbage that is no protobuf");
  await t.storage.put("models", "versions/corrupt/1/generator.onnx", garbage, {
    contentType: "application/octet-stream",
  });
  const corrupt = await t.db.prisma.modelVersion.create({
    data: {
      name: "corrupt",
      version: "1",
      generatorKey: "versions/corrupt/1/generator.onnx",
      generatorSha256: createHash("sha256").update(garbage).digest("hex"),
      imageSize: 32,
      shots: 3,
      fusedPositions: 8,
      gridSize: 4,
      classNames: [],
    },
  });
  await refused(
    { datasetId, classId: classes.crack, count: 2, modelVersionId: corrupt.id },
    /not a valid generator/,
  );
});

test("a fill makes exactly its count, with lineage, pending review; accepting and rejecting moves the balance", async () => {
  const balance = async () => {
    const { balance } = await gql<{
      balance: {
        classes: {
          defectClass: { name: string };
          counted: number;
          real: number;
          syntheticPending: number;
          syntheticAccepted: number;
        }[];
      };
    }>(
      `query($d: ID!) { balance(datasetId: $d, splits: [TRAIN]) { classes { defectClass { name } counted real syntheticPending syntheticAccepted } } }`,
      { d: datasetId },
    );
    return balance.classes.find((c) => c.defectClass.name === "crack")!;
  };
  // Composites of other classes made earlier may carry crack boxes of their hosts: they count too.
  const { syntheticPending: pendingBefore } = await balance();
  const { requestFill } = await gql<{
    requestFill: { id: string; status: string; seed: string; count: number };
  }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id status seed count } }`,
    { input: { datasetId, classId: classes.crack, count: 6, seed: "12345678901234567890" } },
  );
  assert.equal(requestFill.seed, "12345678901234567890");
  const done = await waitFor(
    requestFill.id,
    (r) => r.status !== "QUEUED" && r.status !== "RUNNING",
  );
  assert.equal(done.status, "SUCCEEDED", (done as { error?: string }).error ?? "");
  assert.equal(done.completed, 6);

  const lineages = await t.db.prisma.lineage.findMany({
    where: { requestId: requestFill.id },
    orderBy: { sampleIndex: "asc" },
    include: { image: true },
  });
  assert.deepEqual(
    lineages.map((l) => l.sampleIndex),
    [0, 1, 2, 3, 4, 5],
  );
  const trainCrack = new Set(
    (
      await t.db.prisma.image.findMany({
        where: { datasetId, split: "TRAIN", origin: "REAL", filename: { startsWith: "crack-" } },
      })
    ).map((i) => i.id),
  );
  for (const l of lineages) {
    assert.equal(l.image.origin, "SYNTHETIC");
    assert.equal(l.image.split, "TRAIN");
    assert.equal(l.image.reviewState, "PENDING");
    assert.equal(l.image.objectKey, syntheticKey(requestFill.id, l.sampleIndex));
    assert.equal(l.referenceImageIds.length, 3);
    assert.ok(
      l.referenceImageIds.every((id) => trainCrack.has(id)),
      "references come from the class's real train images only",
    );
    assert.equal(l.baseImageId, l.referenceImageIds[0]);
    assert.ok(Math.abs(l.coefficients.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(l.positions.length, 8);
    assert.equal(typeof l.realism, "number");
    assert.equal(typeof l.nearestReferenceDistance, "number");
    assert.equal(l.modelSha256, createHash("sha256").update(fixtureGenerator()).digest("hex"));
    assert.equal(l.executionProvider, "cpu");
    const stored = await t.storage.getBuffer("images", l.image.objectKey, { maxBytes: 1 << 20 });
    assert.equal(createHash("sha256").update(stored).digest("hex"), l.image.sha256);
  }
  assert.equal(new Set(lineages.map((l) => l.image.sha256)).size, 6);

  assert.deepEqual(await balance(), {
    defectClass: { name: "crack" },
    counted: 5,
    real: 5,
    syntheticPending: pendingBefore + 6,
    syntheticAccepted: 0,
  });

  const ids = lineages.map((l) => l.imageId);
  const accepted = await gql<{ reviewImages: { changed: number } }>(
    `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: ACCEPT) { changed } }`,
    { ids: ids.slice(0, 4) },
  );
  assert.equal(accepted.reviewImages.changed, 4);
  await gql(
    `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: REJECT) { changed } }`,
    { ids: ids.slice(4) },
  );
  assert.deepEqual(await balance(), {
    defectClass: { name: "crack" },
    counted: 9,
    real: 5,
    syntheticPending: pendingBefore,
    syntheticAccepted: 4,
  });
  // The denormalised counters equal a recount from the rows.
  assert.deepEqual(
    await readCounters(t.db.prisma, datasetId),
    await recomputeCounters(t.db.prisma, datasetId),
  );

  // A viewer cannot review; a real image is not reviewable.
  const viewer = await t.gql(
    `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: ACCEPT) { changed } }`,
    { ids: ids.slice(4) },
    t.users.VIEWER,
  );
  assert.equal(viewer.errors![0]!.extensions?.code, "FORBIDDEN");
  const real = await t.gql(
    `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: ACCEPT) { changed } }`,
    { ids: [[...trainCrack][0]] },
    t.users.CURATOR,
  );
  assert.match(real.errors![0]!.message, /only synthetic images are reviewed/);

  // Lineage through the API, references resolved to images.
  const { lineage } = await gql<{
    lineage: {
      sampleIndex: number;
      seed: string;
      algorithm: string;
      references: { isBase: boolean; coefficient: number; image: { id: string; split: string } }[];
    };
  }>(
    `query($id: ID!) { lineage(imageId: $id) { sampleIndex seed algorithm references { isBase coefficient image { id split } } } }`,
    { id: ids[2] },
  );
  assert.equal(lineage.sampleIndex, 2);
  assert.equal(lineage.seed, "12345678901234567890");
  assert.equal(lineage.algorithm, "gridfill-fill-v1");
  assert.deepEqual(
    lineage.references.map((r) => r.isBase),
    [true, false, false],
  );
  assert.ok(lineage.references.every((r) => r.image.split === "TRAIN"));

  // Regenerate reproduces the stored bytes.
  const { regenerate } = await gql<{
    regenerate: {
      identical: boolean;
      sha256: string;
      originalSha256: string;
      executionProvider: string;
      url: string;
    };
  }>(
    `mutation($id: ID!) { regenerate(imageId: $id) { identical sha256 originalSha256 executionProvider url } }`,
    { id: ids[3] },
  );
  assert.equal(regenerate.identical, true);
  assert.equal(regenerate.sha256, lineages[3]!.image.sha256);
  assert.equal(regenerate.executionProvider, "cpu");
  const fetched = Buffer.from(await (await fetch(regenerate.url)).arrayBuffer());
  assert.equal(createHash("sha256").update(fetched).digest("hex"), lineages[3]!.image.sha256);
});

test("running a fill job again adds nothing; a job resumed after losing samples remakes exactly those, byte for byte", async () => {
  const { requestFill } = await gql<{ requestFill: { id: string } }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
    { input: { datasetId, classId: classes.crack, count: 5, seed: "42" } },
  );
  await waitFor(requestFill.id, (r) => r.status === "SUCCEEDED");
  const before = await t.db.prisma.lineage.findMany({
    where: { requestId: requestFill.id },
    orderBy: { sampleIndex: "asc" },
    include: { image: true },
  });
  assert.equal(before.length, 5);

  const models = new ModelCache(t.storage);
  const deps = {
    prisma: t.db.prisma,
    storage: t.storage,
    config: t.config,
    log: createLogger("error"),
    models,
  };
  try {
    // A duplicate delivery of the finished job: nothing happens.
    await runFillJob(deps, requestFill.id);
    assert.equal(await t.db.prisma.lineage.count({ where: { requestId: requestFill.id } }), 5);

    // Simulate a crash that lost samples 1 and 3 (their rows never committed), then resume.
    await t.db.prisma.image.deleteMany({
      where: { id: { in: [before[1]!.imageId, before[3]!.imageId] } },
    });
    await t.db.prisma.fillRequest.update({
      where: { id: requestFill.id },
      data: { status: "RUNNING", completed: 3 },
    });
    await runFillJob(deps, requestFill.id);
  } finally {
    await models.close();
  }
  const after = await t.db.prisma.lineage.findMany({
    where: { requestId: requestFill.id },
    orderBy: { sampleIndex: "asc" },
    include: { image: true },
  });
  assert.deepEqual(
    after.map((l) => l.sampleIndex),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    after.map((l) => l.image.sha256),
    before.map((l) => l.image.sha256),
  );
  const row = await t.db.prisma.fillRequest.findUniqueOrThrow({
    where: { id: requestFill.id },
  });
  assert.deepEqual([row.status, row.completed], ["SUCCEEDED", 5]);
  const keys: string[] = [];
  for await (const key of t.storage.listKeys("images", `synthetic/${requestFill.id}/`))
    keys.push(key);
  assert.equal(keys.length, 5);
});

test("cancel stops a running fill at its next sample; what was made stays", async () => {
  await t.db.prisma.dataset.update({ where: { id: datasetId }, data: { syntheticShareCap: 0.99 } });
  const { requestFill } = await gql<{ requestFill: { id: string } }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
    { input: { datasetId, classId: classes.corrosion, count: 40 } },
  );
  await waitFor(requestFill.id, (r) => r.completed >= 1);
  const { cancelFill } = await gql<{ cancelFill: { id: string; cancelledAt: string | null } }>(
    `mutation($id: ID!) { cancelFill(id: $id) { id cancelledAt } }`,
    { id: requestFill.id },
  );
  assert.ok(cancelFill.cancelledAt);
  const row = await waitFor(requestFill.id, (r) => r.status === "CANCELLED");
  assert.ok(row.completed < 40);
  await new Promise((r) => setTimeout(r, 1000));
  const images = await t.db.prisma.lineage.count({ where: { requestId: requestFill.id } });
  const again = await t.db.prisma.fillRequest.findUniqueOrThrow({
    where: { id: requestFill.id },
  });
  assert.equal(images, again.completed, "no sample committed after the cancel");
  const twice = await t.gql(
    `mutation($id: ID!) { cancelFill(id: $id) { id } }`,
    { id: requestFill.id },
    t.users.CURATOR,
  );
  assert.match(twice.errors![0]!.message, /already cancelled/);
});

test("progress is pushed over graphql-ws until the fill finishes", async () => {
  const { requestFill } = await gql<{ requestFill: { id: string } }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id } }`,
    { input: { datasetId, classId: classes.crack, count: 3 } },
  );
  const client = createClient({
    url: t.api.url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${t.users.VIEWER.token}` },
  });
  const seen: { status: string; completed: number }[] = [];
  try {
    const sub = client.iterate<{ fillRequestUpdated: { status: string; completed: number } }>({
      query: `subscription($id: ID!) { fillRequestUpdated(id: $id) { status completed } }`,
      variables: { id: requestFill.id },
    });
    for await (const event of sub) {
      assert.equal(event.errors, undefined);
      seen.push(event.data!.fillRequestUpdated);
    }
  } finally {
    await client.dispose();
  }
  assert.deepEqual(seen.at(-1), { status: "SUCCEEDED", completed: 3 });
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.completed >= seen[i - 1]!.completed);
});

test("leakage guard: exports leave out synthetic images whose references are no longer all train images", async () => {
  // Accept every pending crack image, then move one real train reference to TEST.
  const pending = await t.db.prisma.image.findMany({
    where: { datasetId, origin: "SYNTHETIC", reviewState: "PENDING" },
  });
  if (pending.length)
    await gql(
      `mutation($ids: [ID!]!) { reviewImages(imageIds: $ids, decision: ACCEPT) { changed } }`,
      { ids: pending.map((p) => p.id) },
    );
  const accepted = await t.db.prisma.lineage.findMany({
    where: { image: { reviewState: "ACCEPTED", datasetId } },
  });
  const moved = accepted[0]!.referenceImageIds[1]!;
  await gql(`mutation($ids: [ID!]!) { setImageSplit(imageIds: $ids, split: TEST) }`, {
    ids: [moved],
  });
  const leaky = new Set(
    accepted.filter((l) => l.referenceImageIds.includes(moved)).map((l) => l.imageId),
  );
  assert.ok(leaky.size > 0);

  const { createVersion } = await gql<{ createVersion: { id: string } }>(
    `mutation($d: ID!) { createVersion(datasetId: $d, note: "with fills") { id } }`,
    { d: datasetId },
  );
  const { exportVersion } = await gql<{ exportVersion: { id: string } }>(
    `mutation($v: ID!) { exportVersion(versionId: $v, format: COCO, includeSynthetic: ACCEPTED, syntheticShareCap: 0.95) { id } }`,
    { v: createVersion.id },
  );
  let job: { status: string; images: number | null } | undefined;
  for (let i = 0; i < 300; i++) {
    job = (
      await gql<{ exportJob: { status: string; images: number | null } }>(
        `query($id: ID!) { exportJob(id: $id) { status images } }`,
        { id: exportVersion.id },
      )
    ).exportJob;
    if (job.status === "SUCCEEDED" || job.status === "FAILED") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(job!.status, "SUCCEEDED");
  const exported = await t.db.prisma.exportJob.findUniqueOrThrow({
    where: { id: exportVersion.id },
  });
  const zipPath = path.join(
    await mkdtemp(path.join(tmpdir(), "gridfill-fill-export-")),
    "export.zip",
  );
  await writeFile(
    zipPath,
    await t.storage.getBuffer("exports", exported.objectKey!, { maxBytes: 50 << 20 }),
  );
  const tree = await openZip(zipPath);
  const sidecars = (await tree.listFiles()).filter((f) => f.startsWith("lineage/"));
  const exportedSynthetic: string[] = [];
  for (const f of sidecars)
    exportedSynthetic.push(
      (JSON.parse((await text(tree.open(f))) as string) as { imageId: string }).imageId,
    );
  await tree.close();
  assert.ok(
    exportedSynthetic.length > 0,
    "accepted synthetic images with clean lineage are exported",
  );
  for (const id of exportedSynthetic)
    assert.ok(!leaky.has(id), `synthetic image ${id} derived from a test image was exported`);
});
