import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { GeneratorError } from "./errors.ts";
import {
  featureDistance,
  generateBatch,
  generatorFeeds,
  nearestReferenceDistance,
  referenceSpread,
  score,
  softmax,
  type GenerateItem,
} from "./generate.ts";
import { SessionPool } from "./model.ts";
import { preprocessReference } from "./preprocess.ts";
import { planSample, type SamplePlan } from "./sampling.ts";
import { boxImage, fixtureCritic, fixtureDir, fixtureGenerator } from "./testing.ts";

let pool: SessionPool;
before(async () => {
  pool = await SessionPool.create(
    { generator: fixtureGenerator(), critic: fixtureCritic() },
    { executionProvider: "cpu", intraOpNumThreads: 1 },
  );
});
after(() => pool.release());

/** Deterministic pseudo-shots for a reference id (stands in for preprocessed crops). */
function shotFor(id: string): Float32Array {
  let s = createHash("sha256").update(id).digest().readUInt32BE(0);
  return Float32Array.from(
    { length: 3 * 32 * 32 },
    () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
  );
}
const candidates = Array.from({ length: 10 }, (_, i) => `ref-${i}`);
const plan = (index: number, seed: bigint | string = 99n): SamplePlan =>
  planSample({ requestSeed: seed, index, candidates, shots: 3, gridCells: 16, fusedPositions: 8 });
const item = (p: SamplePlan): GenerateItem => ({ plan: p, shots: p.referenceIds.map(shotFor) });

test("same plan → byte-identical PNG (regenerate), different plans → different images", async () => {
  const a = await generateBatch(pool, [item(plan(0))]);
  const b = await generateBatch(pool, [item(JSON.parse(JSON.stringify(plan(0))) as SamplePlan)]);
  assert.equal(a.images[0]!.length, 3 * 32 * 32);
  assert.ok(
    a.images[0]!.every((v) => v >= -1 && v <= 1),
    "tanh output in [-1, 1]",
  );
  assert.deepEqual(a.images[0], b.images[0]);
  assert.ok(a.png[0]!.equals(b.png[0]!));
  const meta = await sharp(a.png[0]!).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ["png", 32, 32, 3]);
  const c = await generateBatch(pool, [item(plan(1))]);
  assert.ok(!c.png[0]!.equals(a.png[0]!));
});

test("byte-identical PNG in a fresh process with a fresh session", async () => {
  const p = plan(3, "18446744073709551615");
  const here = await generateBatch(pool, [item(p)]);
  const script = `
    import { SessionPool, generateBatch } from "./packages/generator/src/index.ts";
    import { fixtureGenerator, fixtureCritic } from "./packages/generator/src/testing.ts";
    import { createHash } from "node:crypto";
    const plan = ${JSON.stringify(p)};
    ${shotFor.toString()}
    const pool = await SessionPool.create({ generator: fixtureGenerator() }, { executionProvider: "cpu" });
    const r = await generateBatch(pool, [{ plan, shots: plan.referenceIds.map(shotFor) }]);
    process.stdout.write(createHash("sha256").update(r.png[0]).digest("hex"));`;
  const root = new URL("../../../", import.meta.url).pathname;
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(out.trim(), createHash("sha256").update(here.png[0]!).digest("hex"));
});

test("a batch of 8 equals 8 single runs", async (t) => {
  const items = Array.from({ length: 8 }, (_, i) => item(plan(i)));
  const batched = await generateBatch(pool, items);
  const singles = await generateBatch(pool, items, { maxBatch: 1 });
  let maxDiff = 0;
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < batched.images[i]!.length; j++)
      maxDiff = Math.max(maxDiff, Math.abs(batched.images[i]![j]! - singles.images[i]![j]!));
  }
  assert.ok(maxDiff <= 1e-5, `max |batch − single| = ${maxDiff}`);
  // Identical PNGs whenever the floats are identical; else at most a one-level rounding flip.
  const samePng = batched.png.every((p, i) => p.equals(singles.png[i]!));
  t.diagnostic(`max |batch − single| = ${maxDiff}; identical PNGs: ${samePng}`);
  if (maxDiff === 0) assert.ok(samePng);
  // 11 items with maxBatch 4: chunks of 4, 4, 3 keep the order
  const eleven = Array.from({ length: 11 }, (_, i) => item(plan(i)));
  const chunked = await generateBatch(pool, eleven, { maxBatch: 4, png: false });
  assert.equal(chunked.images.length, 11);
  assert.equal(chunked.png.length, 0);
  for (let i = 0; i < 8; i++) {
    const d = chunked.images[i]!.reduce(
      (m, v, j) => Math.max(m, Math.abs(v - batched.images[i]![j]!)),
      0,
    );
    assert.ok(d <= 1e-5);
  }
});

test("the fused positions act as a set: their order does not change the image", async () => {
  const p = plan(5);
  const shuffled = { ...p, positions: [...p.positions].reverse() };
  const [a, b] = (await generateBatch(pool, [item(p), item(shuffled)], { png: false })).images;
  const d = a!.reduce((m, v, j) => Math.max(m, Math.abs(v - b![j]!)), 0);
  assert.ok(d <= 1e-6, `order changed the output by ${d}`);
});

test("inputs that do not fit the model are refused", async () => {
  const p = plan(0);
  await assert.rejects(
    generateBatch(pool, [{ plan: p, shots: p.referenceIds.slice(0, 2).map(shotFor) }]),
    /2 shot tensors/,
  );
  await assert.rejects(
    generateBatch(pool, [{ plan: p, shots: [new Float32Array(5), shotFor("a"), shotFor("b")] }]),
    /expected 3×32×32/,
  );
  const wrong = planSample({
    requestSeed: 1n,
    index: 0,
    candidates,
    shots: 4,
    gridCells: 16,
    fusedPositions: 8,
  });
  await assert.rejects(
    generateBatch(pool, [{ plan: wrong, shots: wrong.referenceIds.map(shotFor) }]),
    (e: unknown) =>
      e instanceof GeneratorError &&
      e.code === "INVALID_ARGUMENT" &&
      /model takes 3/.test(e.message),
  );
});

test("critic scores: shapes, class consistency by name, null for a class the critic never saw", async () => {
  const gen = await generateBatch(
    pool,
    Array.from({ length: 3 }, (_, i) => item(plan(i))),
    { png: false },
  );
  const s = await score(pool, gen.images, { className: "crack" });
  assert.equal(s.classIndex, 1); // critic classes: cap, crack, nest
  assert.equal(s.realism.length, 3);
  assert.ok(s.realism.every(Number.isFinite));
  assert.ok(
    s.realismProbability.every(
      (p, i) => p > 0 && p < 1 && Math.abs(p - 1 / (1 + Math.exp(-s.realism[i]!))) < 1e-12,
    ),
  );
  assert.equal(s.classLogits.length, 3);
  assert.ok(s.classLogits.every((l) => l.length === 3));
  assert.ok(s.features.every((f) => f.length === 16));
  s.classConsistency.forEach((c, i) =>
    assert.ok(c !== null && Math.abs(c - softmax(s.classLogits[i]!)[1]!) < 1e-12),
  );
  const unseen = await score(pool, gen.images, { className: "broken_damper" });
  assert.equal(unseen.classIndex, null);
  assert.deepEqual(unseen.classConsistency, [null, null, null]);
  assert.deepEqual(unseen.realism, s.realism);
  // batching the critic does not change its results
  const one = await score(pool, gen.images, { className: "crack", maxBatch: 1 });
  one.realism.forEach((r, i) => assert.ok(Math.abs(r - s.realism[i]!) <= 1e-5));
});

test("nearest-reference distance in critic feature space, and the references' own spread", async () => {
  const refs = await score(pool, candidates.slice(0, 4).map(shotFor));
  const out = await score(pool, [shotFor("ref-2"), shotFor("elsewhere")]);
  const copy = nearestReferenceDistance(out.features[0]!, refs.features);
  assert.deepEqual(copy, { distance: 0, index: 2 }); // a copy of reference 2
  const other = nearestReferenceDistance(out.features[1]!, refs.features);
  assert.ok(other.distance > 0);
  assert.equal(
    other.distance,
    Math.min(...refs.features.map((f) => featureDistance(out.features[1]!, f))),
  );
  assert.ok(nearestReferenceDistance(out.features[1]!, refs.features, "cosine").distance >= 0);
  const spread = referenceSpread(refs.features);
  assert.equal(spread.nearest.length, 4);
  assert.ok(spread.min > 0 && spread.min <= spread.median);
  assert.throws(() => referenceSpread(refs.features.slice(0, 1)), /at least two/);
  assert.equal(featureDistance([3, 4], [0, 0]), 5);
  assert.ok(Math.abs(featureDistance([1, 0], [0, 1], "cosine") - 1) < 1e-12);
});

test("end to end: reference images → crops → plan → image, scores; regenerated from stored lineage", async () => {
  const colours: [number, number, number][] = [
    [220, 30, 30],
    [30, 200, 40],
    [40, 40, 210],
    [200, 200, 30],
  ];
  const refs = await Promise.all(
    colours.map(async (c, i) => {
      const box = { x: 10 + 7 * i, y: 12, width: 24, height: 18 };
      return { id: `img-${i}`, box, bytes: await boxImage(80, 60, box, c, i + 1) };
    }),
  );
  const ids = refs.map((r) => r.id).sort();
  const shape = {
    shots: pool.meta.shots,
    gridCells: pool.meta.gridSize ** 2,
    fusedPositions: pool.meta.fusedPositions,
  };
  const byId = new Map(refs.map((r) => [r.id, r]));
  const crop = (id: string) =>
    preprocessReference(byId.get(id)!.bytes, byId.get(id)!.box, { size: pool.meta.imageSize });
  const plans = [0, 1].map((index) =>
    planSample({ requestSeed: "42", index, candidates: ids, ...shape }),
  );
  const items = await Promise.all(
    plans.map(async (p) => ({ plan: p, shots: await Promise.all(p.referenceIds.map(crop)) })),
  );
  const out = await generateBatch(pool, items);
  const s = await score(pool, out.images, { className: "nest" });
  assert.equal(s.classConsistency.length, 2);
  // what a lineage row keeps, and the regeneration from it
  const stored = JSON.parse(JSON.stringify({ plan: plans[1] })) as { plan: SamplePlan };
  const again = await generateBatch(pool, [
    { plan: stored.plan, shots: await Promise.all(stored.plan.referenceIds.map(crop)) },
  ]);
  assert.ok(again.png[0]!.equals(out.png[1]!));
});

test("parity with the PyTorch outputs exported beside the fixture model", async () => {
  type Enc = { dtype: "float32" | "int64"; shape: number[]; b64: string };
  const fx = JSON.parse(readFileSync(`${fixtureDir}parity.json`, "utf8")) as {
    tolerance: number;
    cases: { model: string; inputs: Record<string, Enc>; outputs: Record<string, Enc> }[];
  };
  const decode = (t: Enc) => {
    const b = Buffer.from(t.b64, "base64");
    const copy = new Uint8Array(b); // aligned copy
    return t.dtype === "float32" ? new Float32Array(copy.buffer) : new BigInt64Array(copy.buffer);
  };
  let checked = 0;
  for (const c of fx.cases) {
    const feeds = Object.fromEntries(
      Object.entries(c.inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, decode(t), t.shape)]),
    );
    const out =
      c.model === "generator.onnx" ? await pool.runGenerator(feeds) : await pool.runCritic(feeds);
    for (const [name, t] of Object.entries(c.outputs)) {
      const want = decode(t) as Float32Array;
      const got = out[name]!.data as Float32Array;
      assert.deepEqual(out[name]!.dims, t.shape);
      const d = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
      assert.ok(d <= fx.tolerance, `${c.model}:${name} max abs diff ${d}`);
      checked++;
    }
  }
  assert.equal(checked, 4);
  // generatorFeeds builds the same tensors from a plan: shapes and dtypes
  const feeds = generatorFeeds(pool, [item(plan(0)), item(plan(1))]);
  assert.deepEqual(
    [feeds.images!.dims, feeds.coefficients!.dims, feeds.positions!.dims],
    [
      [2, 3, 3, 32, 32],
      [2, 3],
      [2, 8],
    ],
  );
  assert.equal(feeds.positions!.type, "int64");
});
