// Boxes through the API, and the proof that the incrementally maintained ImageClass / ClassCounter
// rows equal a full recount after a long random sequence of annotation, split and delete operations.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import {
  readCounters,
  recomputeCounters,
  recomputeImageClasses,
} from "@gridfill/core/balance/counters.ts";
import { deleteImages, setImageSplit } from "@gridfill/core/images/service.ts";
import {
  createAnnotation,
  deleteAnnotation,
  updateAnnotation,
} from "@gridfill/core/annotations/service.ts";

let t: TestApi;
let datasetId: string;
let classIds: string[];
let imageIds: string[];

before(async () => {
  t = await startTestApi();
  const r = await t.gql<{ createDataset: { id: string; classes: { id: string }[] } }>(
    `mutation { createDataset(input: { name: "boxes", classes: [{ name: "a" }, { name: "b" }, { name: "c" }] }) { id classes { id } } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = r.data!.createDataset.id;
  classIds = r.data!.createDataset.classes.map((c) => c.id);
  imageIds = [];
  for (let i = 0; i < 8; i++) {
    const { image } = await addImageFromBuffer(
      { prisma: t.db.prisma, storage: t.storage, config: t.config },
      { datasetId, buffer: await makePng(100, 60, 300 + i), filename: `i${i}.png`, actor: null },
    );
    imageIds.push(image.id);
  }
});
after(async () => {
  await t.close();
});

const CREATE = `mutation($img: ID!, $cls: ID!, $box: BoxInput!) { createAnnotation(imageId: $img, input: { classId: $cls, box: $box }) { id box { x y width height } defectClass { id } } }`;

test("boxes outside the image, empty or not finite are refused with a clear error and nothing is written", async () => {
  const before = {
    annotations: await t.db.prisma.annotation.count(),
    audit: await t.db.prisma.auditEvent.count(),
  };
  const cases: [Record<string, number>, RegExp][] = [
    [{ x: 90, y: 10, width: 20, height: 10 }, /not inside the 100×60 image/],
    [{ x: -1, y: 0, width: 5, height: 5 }, /not inside/],
    [{ x: 5, y: 5, width: 0, height: 5 }, /positive/],
    [{ x: 5, y: 5, width: 0.5, height: 0.5 }, /smaller/],
  ];
  for (const [box, message] of cases) {
    const r = await t.gql(CREATE, { img: imageIds[0], cls: classIds[0], box }, t.users.CURATOR);
    assert.equal(errorCode(r), "BAD_USER_INPUT", JSON.stringify(r));
    assert.equal(r.errors![0]!.extensions!.reason, "INVALID_BOX");
    assert.match(r.errors![0]!.message, message);
  }
  assert.equal(await t.db.prisma.annotation.count(), before.annotations);
  assert.equal(await t.db.prisma.auditEvent.count(), before.audit);
});

test("a box's class must belong to the image's dataset", async () => {
  const other = await t.gql<{ createDataset: { classes: { id: string }[] } }>(
    `mutation { createDataset(input: { name: "other", classes: [{ name: "z" }] }) { classes { id } } }`,
    {},
    t.users.CURATOR,
  );
  const r = await t.gql(
    CREATE,
    {
      img: imageIds[0],
      cls: other.data!.createDataset.classes[0]!.id,
      box: { x: 1, y: 1, width: 5, height: 5 },
    },
    t.users.CURATOR,
  );
  assert.equal(errorCode(r), "BAD_USER_INPUT");
  assert.match(r.errors![0]!.message, /another dataset/);
  assert.equal(
    errorCode(
      await t.gql(
        CREATE,
        {
          img: "00000000-0000-7000-8000-000000000000",
          cls: classIds[0],
          box: { x: 1, y: 1, width: 5, height: 5 },
        },
        t.users.CURATOR,
      ),
    ),
    "NOT_FOUND",
  );
});

test("create, update and delete keep ImageClass and ClassCounter in step", async () => {
  const created = await t.gql<{ createAnnotation: { id: string; box: Record<string, number> } }>(
    CREATE,
    { img: imageIds[1], cls: classIds[0], box: { x: 10.123, y: 5, width: 20, height: 10 } },
    t.users.CURATOR,
  );
  assert.deepEqual(created.data!.createAnnotation.box, { x: 10.12, y: 5, width: 20, height: 10 });
  const id = created.data!.createAnnotation.id;
  const row = () =>
    t.db.prisma.imageClass.findMany({
      where: { imageId: imageIds[1] },
      select: { classId: true, boxes: true },
    });
  assert.deepEqual(await row(), [{ classId: classIds[0], boxes: 1 }]);

  const moved = await t.gql(
    `mutation($id: ID!, $cls: ID!) { updateAnnotation(id: $id, input: { classId: $cls, box: { x: 0, y: 0, width: 50, height: 50 } }) { id } }`,
    { id, cls: classIds[1] },
    t.users.CURATOR,
  );
  assert.equal(moved.errors, undefined);
  assert.deepEqual(await row(), [{ classId: classIds[1], boxes: 1 }]);

  const badMove = await t.gql(
    `mutation($id: ID!) { updateAnnotation(id: $id, input: { box: { x: 0, y: 0, width: 500, height: 50 } }) { id } }`,
    { id },
    t.users.CURATOR,
  );
  assert.equal(errorCode(badMove), "BAD_USER_INPUT");

  assert.deepEqual(
    (await t.gql(`mutation($id: ID!) { deleteAnnotation(id: $id) }`, { id }, t.users.CURATOR)).data,
    { deleteAnnotation: true },
  );
  assert.deepEqual(await row(), []);
  assert.deepEqual(
    await readCounters(t.db.prisma, datasetId),
    await recomputeCounters(t.db.prisma, datasetId),
  );
});

/** A small deterministic PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

test("incremental counters equal a full recount after a random sequence of operations", async () => {
  // The services themselves (the resolvers are thin shells over them), to keep the run short.
  const random = prng(20251128);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const live = new Set(imageIds);
  const annotations: string[] = [];
  const { prisma } = t.db;
  const deps = { prisma, storage: t.storage, config: t.config };
  const actor = { id: t.users.CURATOR.id, email: t.users.CURATOR.email };
  const goneIsFine = (error: unknown) => {
    // A box may have gone with its image.
    if ((error as { code?: string }).code !== "NOT_FOUND") throw error;
  };
  for (let step = 0; step < 100; step++) {
    const roll = random();
    const images = [...live];
    if (roll < 0.45) {
      const box = {
        x: Math.floor(random() * 50),
        y: Math.floor(random() * 30),
        width: 10,
        height: 10,
      };
      annotations.push(
        (await createAnnotation(prisma, actor, pick(images), { classId: pick(classIds), box })).id,
      );
    } else if (roll < 0.6 && annotations.length) {
      const id = annotations.splice(Math.floor(random() * annotations.length), 1)[0]!;
      await deleteAnnotation(prisma, actor, id).catch(goneIsFine);
    } else if (roll < 0.72 && annotations.length) {
      await updateAnnotation(prisma, actor, pick(annotations), { classId: pick(classIds) }).catch(
        goneIsFine,
      );
    } else if (roll < 0.9) {
      await setImageSplit(
        prisma,
        actor,
        images.filter(() => random() < 0.4),
        pick(["TRAIN", "VAL", "TEST", "UNASSIGNED"] as const),
      );
    } else if (roll < 0.93 && images.length > 4) {
      const victim = pick(images);
      assert.equal(await deleteImages(deps, actor, [victim]), 1);
      live.delete(victim);
    } else {
      const { image } = await addImageFromBuffer(deps, {
        datasetId,
        buffer: await makePng(100, 60, 1000 + step),
        filename: `n${step}.png`,
        split: pick(["TRAIN", "VAL"] as const),
        annotations: [{ classId: pick(classIds), box: { x: 1, y: 1, width: 10, height: 10 } }],
        actor,
      });
      live.add(image.id);
    }
  }
  const counters = await readCounters(prisma, datasetId);
  assert.ok(counters.length > 3, "the sequence should leave counts in several keys");
  assert.deepEqual(counters, await recomputeCounters(prisma, datasetId));
  const { expected, actual } = await recomputeImageClasses(prisma, datasetId);
  assert.deepEqual(actual, expected);
});
