// Versions: frozen manifests and counts, listed newest first, compared by a streamed merge.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import { readManifest } from "@gridfill/core/versions/manifest.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

test("createVersion freezes the dataset; versionDiff reports images and per-class deltas", async () => {
  const created = await t.gql<{
    createDataset: { id: string; classes: { id: string; name: string }[] };
  }>(
    `mutation { createDataset(input: { name: "versions", classes: [{ name: "crack" }, { name: "nest" }] }) { id classes { id name } } }`,
    {},
    t.users.CURATOR,
  );
  const ds = created.data!.createDataset;
  const deps = { prisma: t.db.prisma, storage: t.storage, config: t.config };
  const actor = { id: t.users.CURATOR.id, email: t.users.CURATOR.email };
  const add = async (seed: number, boxes: [string, number][]) =>
    (
      await addImageFromBuffer(deps, {
        datasetId: ds.id,
        buffer: await makePng(64, 48, seed),
        filename: `img-${seed}.png`,
        split: "TRAIN",
        annotations: boxes.map(([className, x]) => ({
          className,
          box: { x, y: 1, width: 5, height: 5 },
        })),
        actor,
      })
    ).image;
  const a = await add(1, [["crack", 1]]);
  const b = await add(2, [
    ["nest", 1],
    ["nest", 10],
  ]);

  const create = (note: string) =>
    t.gql<{
      createVersion: {
        id: string;
        number: number;
        images: number;
        boxes: number;
        classCounts: { className: string; images: number; boxes: number }[];
      };
    }>(
      `mutation($id: ID!, $note: String) { createVersion(datasetId: $id, note: $note) { id number images boxes classCounts { className images boxes } } }`,
      { id: ds.id, note },
      t.users.CURATOR,
    );
  const v1 = await create("first");
  assert.equal(v1.errors, undefined, JSON.stringify(v1.errors));
  assert.equal(v1.data!.createVersion.number, 1);
  assert.equal(v1.data!.createVersion.images, 2);
  assert.equal(v1.data!.createVersion.boxes, 3);
  assert.deepEqual(v1.data!.createVersion.classCounts, [
    { className: "crack", images: 1, boxes: 1 },
    { className: "nest", images: 1, boxes: 2 },
  ]);

  // Change the dataset: one image removed, one added, one box added to a kept image.
  await t.gql(
    `mutation($ids: [ID!]!) { deleteImages(imageIds: $ids) }`,
    { ids: [a.id] },
    t.users.CURATOR,
  );
  await add(3, [["crack", 1]]);
  const nest = ds.classes.find((c) => c.name === "nest")!;
  const box = await t.gql(
    `mutation($img: ID!, $cls: ID!) { createAnnotation(imageId: $img, input: { classId: $cls, box: { x: 30, y: 30, width: 5, height: 5 } }) { id } }`,
    { img: b.id, cls: nest.id },
    t.users.CURATOR,
  );
  assert.equal(box.errors, undefined, JSON.stringify(box.errors));
  const v2 = await create("second");
  assert.equal(v2.data!.createVersion.number, 2);

  // The manifest is sorted by sha256 and immutable: the first version still describes the old state.
  const version = await t.db.prisma.datasetVersion.findUniqueOrThrow({
    where: { id: v1.data!.createVersion.id },
  });
  const lines = [];
  for await (const line of readManifest(await t.storage.getStream("exports", version.manifestKey)))
    lines.push(line);
  assert.deepEqual(
    lines.map((l) => l.sha256),
    [...lines.map((l) => l.sha256)].sort(),
  );
  assert.deepEqual(lines.map((l) => l.filename).sort(), ["img-1.png", "img-2.png"]);

  const diff = await t.gql<{ versionDiff: Record<string, unknown> }>(
    `query($from: ID!, $to: ID!) { versionDiff(fromId: $from, toId: $to) {
      imagesAdded imagesRemoved imagesChanged truncated
      added { filename } removed { filename } changed { filename boxesAdded boxesRemoved }
      classDeltas { className imagesDelta boxesDelta } } }`,
    { from: v1.data!.createVersion.id, to: v2.data!.createVersion.id },
    t.users.VIEWER,
  );
  assert.equal(diff.errors, undefined, JSON.stringify(diff.errors));
  assert.deepEqual(diff.data!.versionDiff, {
    imagesAdded: 1,
    imagesRemoved: 1,
    imagesChanged: 1,
    truncated: false,
    added: [{ filename: "img-3.png" }],
    removed: [{ filename: "img-1.png" }],
    changed: [{ filename: "img-2.png", boxesAdded: 1, boxesRemoved: 0 }],
    classDeltas: [
      { className: "crack", imagesDelta: 0, boxesDelta: 0 },
      { className: "nest", imagesDelta: 0, boxesDelta: 1 },
    ],
  });

  const list = await t.gql<{ versions: { number: number }[] }>(
    `query($id: ID!) { versions(datasetId: $id) { number } }`,
    { id: ds.id },
    t.users.VIEWER,
  );
  assert.deepEqual(list.data!.versions, [{ number: 2 }, { number: 1 }]);
  const audit = await t.db.prisma.auditEvent.count({
    where: { action: "version.create", datasetId: ds.id },
  });
  assert.equal(audit, 2);

  const refused = await t.gql(
    `mutation($id: ID!) { createVersion(datasetId: $id) { id } }`,
    { id: ds.id },
    t.users.VIEWER,
  );
  assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
});
