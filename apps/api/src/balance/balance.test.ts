// Balance statistics and fill plans of a small dataset built by hand, where every number can be
// checked on paper. Both read only the counters.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer, type AddImageInput } from "@gridfill/core/images/uploads.ts";

let t: TestApi;
let datasetId: string;

const BALANCE = `query($d: ID!, $unit: BalanceUnit, $splits: [Split!]) { balance(datasetId: $d, unit: $unit, splits: $splits) {
  unit total imbalanceRatio normalizedEntropy syntheticPolicy countUnreviewedPredicted
  maxClass { name } minClass { name } emptyClasses { name }
  classes { defectClass { name } counted share images boxes real syntheticAccepted syntheticPending unreviewedPredicted bySplit { split images boxes } } } }`;

type Balance = {
  unit: string;
  total: number;
  imbalanceRatio: number | null;
  normalizedEntropy: number | null;
  syntheticPolicy: string;
  countUnreviewedPredicted: boolean;
  maxClass: { name: string } | null;
  minClass: { name: string } | null;
  emptyClasses: { name: string }[];
  classes: {
    defectClass: { name: string };
    counted: number;
    share: number;
    images: number;
    boxes: number;
    real: number;
    syntheticAccepted: number;
    syntheticPending: number;
    unreviewedPredicted: number;
    bySplit: { split: string; images: number; boxes: number }[];
  }[];
};

async function balance(variables: Record<string, unknown> = {}): Promise<Balance> {
  const r = await t.gql<{ balance: Balance }>(
    BALANCE,
    { d: datasetId, ...variables },
    t.users.VIEWER,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!.balance;
}

const box = { x: 1, y: 1, width: 4, height: 4 };

before(async () => {
  t = await startTestApi();
  const r = await t.gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "hand-built", classes: [{ name: "A" }, { name: "B" }, { name: "C" }] }) { id } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = r.data!.createDataset.id;
  // image: split, origin / review state, boxes
  const images: [
    AddImageInput["split"],
    AddImageInput["origin"],
    AddImageInput["reviewState"],
    string[],
  ][] = [
    ["TRAIN", "REAL", undefined, ["A", "A"]],
    ["TRAIN", "REAL", undefined, ["A"]],
    ["TRAIN", "REAL", undefined, ["A", "B"]],
    ["TRAIN", "REAL", undefined, ["A"]],
    ["TRAIN", "REAL", undefined, ["B"]],
    ["TRAIN", "SYNTHETIC", "ACCEPTED", ["B"]],
    ["TRAIN", "SYNTHETIC", "PENDING", ["B"]],
    ["TRAIN", "SYNTHETIC", "REJECTED", ["B"]],
    ["VAL", "REAL", undefined, ["C"]],
  ];
  let seed = 500;
  for (const [split, origin, reviewState, classes] of images) {
    await addImageFromBuffer(
      { prisma: t.db.prisma, storage: t.storage, config: t.config },
      {
        datasetId,
        buffer: await makePng(16, 16, seed++),
        filename: `${seed}.png`,
        split,
        origin,
        ...(reviewState ? { reviewState } : {}),
        annotations: classes.map((className) => ({ className, box })),
        actor: null,
      },
    );
  }
});
after(async () => {
  await t.close();
});

test("image balance under the default policy: accepted synthetic images count, pending and rejected do not", async () => {
  const b = await balance();
  assert.equal(b.syntheticPolicy, "ACCEPTED");
  assert.equal(b.countUnreviewedPredicted, true);
  assert.ok(b.classes.every((c) => c.unreviewedPredicted === 0));
  assert.equal(b.total, 8);
  const rows = Object.fromEntries(b.classes.map((c) => [c.defectClass.name, c]));
  assert.deepEqual([rows.A!.counted, rows.B!.counted, rows.C!.counted], [4, 3, 1]);
  assert.deepEqual([rows.A!.boxes, rows.B!.boxes], [5, 3]);
  assert.deepEqual([rows.B!.real, rows.B!.syntheticAccepted, rows.B!.syntheticPending], [2, 1, 1]);
  assert.deepEqual([rows.A!.share, rows.B!.share, rows.C!.share], [0.5, 0.375, 0.125]);
  assert.deepEqual(
    rows.C!.bySplit.find((s) => s.split === "VAL"),
    { split: "VAL", images: 1, boxes: 1 },
  );
  assert.equal(b.imbalanceRatio, 4);
  const h = -(0.5 * Math.log(0.5) + 0.375 * Math.log(0.375) + 0.125 * Math.log(0.125));
  assert.ok(Math.abs(b.normalizedEntropy! - h / Math.log(3)) < 1e-12);
  assert.deepEqual([b.maxClass?.name, b.minClass?.name, b.emptyClasses], ["A", "C", []]);
});

test("boxes as the unit, and a split selection that leaves classes empty", async () => {
  const boxes = await balance({ unit: "BOXES" });
  assert.equal(boxes.total, 9);
  assert.deepEqual(
    boxes.classes.map((c) => c.counted),
    [5, 3, 1],
  );
  const val = await balance({ splits: ["VAL"] });
  assert.equal(val.total, 1);
  assert.equal(val.imbalanceRatio, null, "fewer than two classes have samples");
  assert.deepEqual(
    val.emptyClasses.map((c) => c.name),
    ["A", "B"],
  );
});

test("counting pending synthetic images is the dataset's choice", async () => {
  await t.gql(
    `mutation($d: ID!) { updateDataset(id: $d, input: { countPendingSynthetic: true }) { id } }`,
    { d: datasetId },
    t.users.CURATOR,
  );
  try {
    const b = await balance();
    assert.equal(b.syntheticPolicy, "ACCEPTED_AND_PENDING");
    assert.equal(b.total, 9);
    assert.equal(b.classes.find((c) => c.defectClass.name === "B")!.counted, 4);
    const viaDataset = await t.gql<{ dataset: { balance: { total: number } } }>(
      `query($d: ID) { dataset(id: $d) { balance { total } } }`,
      { d: datasetId },
      t.users.VIEWER,
    );
    assert.equal(viaDataset.data!.dataset.balance.total, 9);
  } finally {
    await t.gql(
      `mutation($d: ID!) { updateDataset(id: $d, input: { countPendingSynthetic: false }) { id } }`,
      { d: datasetId },
      t.users.CURATOR,
    );
  }
});

const FILL = `query($d: ID!, $s: FillStrategyInput!, $k: Int) { fillPlan(datasetId: $d, strategy: $s, shots: $k) {
  strategy shots level totalToGenerate projectedImbalanceRatio
  classes { defectClass { name } realTrainImages current target toGenerate limitedBy blockedReason } } }`;

test("fillPlan to the largest class: blocked without enough real train shots, capped by the synthetic share", async () => {
  const r = await t.gql<{
    fillPlan: {
      level: number;
      totalToGenerate: number;
      classes: {
        defectClass: { name: string };
        realTrainImages: number;
        current: number;
        target: number;
        toGenerate: number;
        limitedBy: string | null;
        blockedReason: string | null;
      }[];
    };
  }>(FILL, { d: datasetId, s: { kind: "TO_MAX" }, k: 2 }, t.users.VIEWER);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const plan = r.data!.fillPlan;
  assert.equal(plan.level, 4);
  const rows = Object.fromEntries(plan.classes.map((c) => [c.defectClass.name, c]));
  assert.deepEqual([rows.A!.current, rows.A!.toGenerate], [4, 0]);
  // B: 2 real train + 1 accepted synthetic; wants 1 more, the 0.5 share cap allows exactly 1.
  assert.deepEqual(
    [rows.B!.realTrainImages, rows.B!.current, rows.B!.target, rows.B!.toGenerate],
    [2, 3, 4, 1],
  );
  assert.equal(rows.C!.toGenerate, 0);
  assert.match(rows.C!.blockedReason!, /fewer than 2 real train images/);
  assert.equal(plan.totalToGenerate, 1);

  const strict = await t.gql<{ fillPlan: { totalToGenerate: number } }>(
    FILL,
    { d: datasetId, s: { kind: "TO_MAX" }, k: 3 },
    t.users.VIEWER,
  );
  assert.equal(strict.data!.fillPlan.totalToGenerate, 0);
  const missing = await t.gql(FILL, { d: datasetId, s: { kind: "TO_COUNT" } }, t.users.VIEWER);
  assert.equal(errorCode(missing), "BAD_USER_INPUT");
});

test("balance reads only the counters: a stale counter shows through", async () => {
  // Proves the statistics never scan images: bump a counter behind the API's back, and undo it.
  await t.db.pool.query(
    `UPDATE "ClassCounter" SET images = images + 100 WHERE "datasetId" = $1 AND split = 'VAL'`,
    [datasetId],
  );
  try {
    const b = await balance();
    assert.equal(b.classes.find((c) => c.defectClass.name === "C")!.counted, 101);
  } finally {
    await t.db.pool.query(
      `UPDATE "ClassCounter" SET images = images - 100 WHERE "datasetId" = $1 AND split = 'VAL'`,
      [datasetId],
    );
  }
});
