// Best-of-N model fills against a real PostgreSQL, S3-protocol server and job queue, with the
// committed fixture model: each sample keeps the candidate its critic scores highest and only that
// one is stored; the lineage holds the kept candidate's plan and how it was chosen, and replays
// byte for byte; candidate 0 is the sample a fill without selection makes; previews choose the
// same way; and every refused bestOf writes nothing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fixtureCritic, fixtureGenerator } from "@gridfill/generator/testing";
import { planSample, selectionScore, type Selection } from "@gridfill/generator/contract";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { registerModelBytes } from "@gridfill/core/models/service.ts";
import { recomputeCounters, readCounters } from "@gridfill/core/balance/counters.ts";
import { addSeededBoxImage } from "../testing/box-images.ts";

let t: TestApi;
let datasetId: string;
let crack: string;
let noCriticModelId: string;

before(async () => {
  t = await startTestApi(
    { GRIDFILL_FILL_MAX_COUNT: "40", GRIDFILL_FILL_BATCH: "4" },
    { jobs: true },
  );
  const prisma = t.db.prisma;
  datasetId = (await prisma.dataset.create({ data: { name: "best-of", syntheticShareCap: 0.9 } }))
    .id;
  crack = (await prisma.defectClass.create({ data: { datasetId, name: "crack" } })).id;
  for (let seed = 1; seed <= 5; seed++) {
    await addSeededBoxImage(t, datasetId, {
      seed,
      className: "crack",
      split: "TRAIN",
      filename: `crack-${seed}.png`,
    });
  }
  const deps = { prisma, storage: t.storage };
  await registerModelBytes(deps, null, {
    name: "fixture",
    version: "1",
    generator: fixtureGenerator(),
    critic: fixtureCritic(),
    activate: true,
  });
  noCriticModelId = (
    await registerModelBytes(deps, null, {
      name: "fixture-without-critic",
      version: "1",
      generator: fixtureGenerator(),
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

/** Queues a fill through the API, waits for it to succeed, and returns its request and lineage. */
async function fill(input: Record<string, unknown>) {
  const { requestFill } = await gql<{ requestFill: { id: string; bestOf: number } }>(
    `mutation($input: RequestFillInput!) { requestFill(input: $input) { id bestOf } }`,
    { input: { datasetId, classId: crack, ...input } },
  );
  for (let i = 0; i < 600; i++) {
    const request = await t.db.prisma.fillRequest.findUniqueOrThrow({
      where: { id: requestFill.id },
      include: { modelVersion: true },
    });
    if (!["QUEUED", "RUNNING"].includes(request.status)) {
      assert.equal(request.status, "SUCCEEDED", request.error ?? "");
      const lineages = await t.db.prisma.lineage.findMany({
        where: { requestId: request.id },
        orderBy: { sampleIndex: "asc" },
        include: { image: true },
      });
      return { request, bestOf: requestFill.bestOf, lineages };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the fill did not finish");
}

type Filled = Awaited<ReturnType<typeof fill>>;

/** The plan of candidate `candidate` of a lineage's sample, drawn as the worker draws it. */
function candidatePlan(request: Filled["request"], index: number, candidate: number) {
  const model = request.modelVersion!;
  return planSample({
    requestSeed: request.seed.toString(),
    index,
    candidate,
    candidates: request.candidateIds,
    shots: model.shots,
    gridCells: model.gridSize ** 2,
    fusedPositions: model.fusedPositions,
  });
}

/**
 * A lineage's plan as the generator is fed it: coefficients are float32 values, and a float8
 * column may give one back a last decimal digit off, which rounds to the same float32.
 */
const storedPlan = (l: Filled["lineages"][number]) => [
  l.referenceImageIds,
  l.coefficients.map(Math.fround),
  l.positions,
];

async function regeneratesIdentically(imageId: string) {
  const { regenerate } = await gql<{ regenerate: { identical: boolean; sha256: string } }>(
    `mutation($id: ID!) { regenerate(imageId: $id) { identical sha256 } }`,
    { id: imageId },
  );
  assert.equal(regenerate.identical, true);
}

/** Checks a best-of sample's selection against its own scores and plan; returns it. */
function checkSelection(request: Filled["request"], l: Filled["lineages"][number], of: number) {
  const selection = l.selection as unknown as Selection;
  assert.equal(selection.of, of);
  assert.equal(selection.scores.length, of);
  assert.equal(selection.score, Math.max(...selection.scores));
  assert.equal(selection.candidate, selection.scores.indexOf(selection.score), "ties: the lowest");
  // The stored scores are the kept candidate's: its score is realism + ln(class score).
  assert.equal(typeof l.classScore, "number", "the fixture critic knows the class");
  assert.ok(Math.abs(selection.score - selectionScore(l.realism!, l.classScore)) < 1e-9);
  // The stored plan is the kept candidate's plan, as planSample draws it.
  const plan = candidatePlan(request, l.sampleIndex, selection.candidate);
  assert.deepEqual(storedPlan(l), [plan.referenceIds, plan.coefficients, plan.positions]);
  return selection;
}

let bestOfFour: Filled;

test("a best-of-4 fill keeps per sample the candidate the critic scores highest, stores only it, and replays it byte for byte", async () => {
  bestOfFour = await fill({ count: 6, seed: "2718", bestOf: 4, hosts: "ANY" });
  const { request, lineages } = bestOfFour;
  assert.equal(bestOfFour.bestOf, 4);
  assert.equal(request.bestOf, 4);
  assert.deepEqual(
    lineages.map((l) => l.sampleIndex),
    [0, 1, 2, 3, 4, 5],
  );
  const kept = lineages.map((l) => checkSelection(request, l, 4).candidate);
  assert.ok(
    kept.some((c) => c > 0),
    `the critic chose other candidates than the first: ${kept.join(", ")}`,
  );
  for (const l of lineages) {
    assert.equal(l.output, "COMPOSITE");
    assert.equal(l.image.origin, "SYNTHETIC");
  }
  const keys: string[] = [];
  for await (const key of t.storage.listKeys("images", `synthetic/${request.id}/`)) keys.push(key);
  assert.equal(keys.length, 6, "only the kept candidates are stored");
  assert.deepEqual(
    await readCounters(t.db.prisma, datasetId),
    await recomputeCounters(t.db.prisma, datasetId),
  );

  // The API shows the request's bestOf and the lineage's selection.
  const picked = lineages.find((l) => (l.selection as unknown as Selection).candidate > 0)!;
  const { lineage } = await gql<{ lineage: { selection: Selection; request: { bestOf: number } } }>(
    `query($id: ID!) { lineage(imageId: $id) { selection request { bestOf } } }`,
    { id: picked.imageId },
  );
  assert.deepEqual(lineage.selection, picked.selection);
  assert.equal(lineage.request.bestOf, 4);

  await regeneratesIdentically(picked.imageId);
  await regeneratesIdentically(lineages[0]!.imageId);
});

test("candidate 0 of a best-of fill is the sample a fill without selection makes from the same seed and index", async () => {
  // Crops this time, so that no image of this fill is byte-identical to a composite above.
  const plain = await fill({ count: 6, seed: "2718", output: "CROP" });
  assert.equal(plain.bestOf, 1);
  assert.equal(plain.request.bestOf, 1);
  assert.deepEqual(plain.request.candidateIds, bestOfFour.request.candidateIds);
  let keptFirst = 0;
  for (const [i, l] of plain.lineages.entries()) {
    assert.equal(l.selection, null, "a fill without selection records none");
    const zero = candidatePlan(plain.request, l.sampleIndex, 0);
    assert.deepEqual(storedPlan(l), [zero.referenceIds, zero.coefficients, zero.positions]);
    // The best-of fill scored this very image as its candidate 0.
    const best = bestOfFour.lineages[i]!;
    const selection = best.selection as unknown as Selection;
    assert.ok(Math.abs(selection.scores[0]! - selectionScore(l.realism!, l.classScore)) < 1e-4);
    if (selection.candidate === 0) {
      keptFirst += 1;
      assert.deepEqual(storedPlan(best), storedPlan(l));
      assert.ok(Math.abs(best.realism! - l.realism!) < 1e-4);
    } else {
      const other = candidatePlan(plain.request, l.sampleIndex, selection.candidate);
      assert.notDeepEqual(storedPlan(l), [other.referenceIds, other.coefficients, other.positions]);
    }
  }
  assert.ok(keptFirst > 0, "some best-of sample kept its candidate 0");
});

test("best-of crops: the preview chooses as the fill does, and the kept crops replay byte for byte", async () => {
  const input = { datasetId, classId: crack, count: 1, seed: "99", output: "CROP", bestOf: 2 };
  const { previewFill } = await gql<{ previewFill: { samples: { index: number; url: string }[] } }>(
    `mutation($input: RequestFillInput!) { previewFill(input: $input, samples: 4) { samples { index url } } }`,
    { input },
  );
  const previewed = await Promise.all(
    previewFill.samples.map(async (s) => {
      const bytes = Buffer.from(await (await fetch(s.url)).arrayBuffer());
      return createHash("sha256").update(bytes).digest("hex");
    }),
  );

  const { request, lineages } = await fill({ ...input, count: 4 });
  assert.equal(request.bestOf, 2);
  for (const l of lineages) {
    checkSelection(request, l, 2);
    assert.equal(l.output, "CROP");
  }
  assert.deepEqual(
    lineages.map((l) => l.image.sha256),
    previewed,
    "the preview shows the candidates the fill keeps",
  );
  const picked =
    lineages.find((l) => (l.selection as unknown as Selection).candidate === 1) ?? lineages[0]!;
  await regeneratesIdentically(picked.imageId);
});

/** What a request would write: requests, queued fill jobs, images, audit events. */
async function writes() {
  const [jobs] = await t.db.prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'gridfill-fill'`,
  );
  return {
    requests: await t.db.prisma.fillRequest.count(),
    jobs: jobs!.n,
    images: await t.db.prisma.image.count(),
    audit: await t.db.prisma.auditEvent.count(),
  };
}

const REFUSALS: [string, () => Record<string, unknown>, RegExp, string][] = [
  [
    "bestOf for a copy-paste fill",
    () => ({ method: "COPY_PASTE", bestOf: 2 }),
    /model fills only/,
    "INVALID_OPTION",
  ],
  [
    "bestOf above 8",
    () => ({ bestOf: 9 }),
    /bestOf must be a whole number from 1 to 8/,
    "INVALID_OPTION",
  ],
  [
    "bestOf 0",
    () => ({ bestOf: 0 }),
    /bestOf must be a whole number from 1 to 8, got 0/,
    "INVALID_OPTION",
  ],
  [
    "bestOf with a model that has no critic",
    () => ({ modelVersionId: noCriticModelId, bestOf: 2 }),
    /fixture-without-critic 1 has no critic/,
    "NO_CRITIC",
  ],
];
for (const [what, input, pattern, reason] of REFUSALS) {
  test(`requestFill and previewFill refuse ${what}, writing nothing`, async () => {
    const before = await writes();
    for (const mutation of [
      "requestFill(input: $input) { id }",
      "previewFill(input: $input) { id }",
    ]) {
      const r = await t.gql(
        `mutation($input: RequestFillInput!) { ${mutation} }`,
        { input: { datasetId, classId: crack, count: 2, ...input() } },
        t.users.CURATOR,
      );
      assert.ok(r.errors?.length, `expected a refusal of ${mutation}`);
      assert.match(r.errors![0]!.message, pattern);
      assert.equal(r.errors![0]!.extensions?.code, "BAD_USER_INPUT");
      assert.equal(r.errors![0]!.extensions?.reason, reason);
    }
    assert.deepEqual(await writes(), before, "a refused request writes nothing");
  });
}

test("a model without a critic still fills without selection", async () => {
  const { request, lineages } = await fill({
    count: 2,
    seed: "5",
    output: "CROP",
    modelVersionId: noCriticModelId,
    bestOf: 1,
  });
  assert.equal(request.bestOf, 1);
  assert.deepEqual(
    lineages.map((l) => [l.selection, l.realism]),
    [
      [null, null],
      [null, null],
    ],
  );
});
