// The image grid: keyset pages under every filter (no duplicates, no gaps, even while rows are
// added), counts, tags, splits, capture times and deletes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import type { Origin, ReviewState, Split } from "@gridfill/balance";
import { startTestApi, errorCode, type GraphQLResult, type TestApi } from "../testing/harness.ts";
import { seedImages, type SeedImage } from "../testing/seed.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";

let t: TestApi;
let datasetId: string;
let classA: string;
let classB: string;
const specs: (SeedImage & { id: string })[] = [];

const SPLIT_CYCLE: Split[] = ["TRAIN", "TRAIN", "VAL", "TEST", "UNASSIGNED"];

before(async () => {
  t = await startTestApi();
  const r = await t.gql<{ createDataset: { id: string; classes: { id: string; name: string }[] } }>(
    `mutation { createDataset(input: { name: "grid", classes: [{ name: "a" }, { name: "b" }] }) { id classes { id name } } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = r.data!.createDataset.id;
  [classA, classB] = ["a", "b"].map(
    (n) => r.data!.createDataset.classes.find((c) => c.name === n)!.id,
  ) as [string, string];
  const list: SeedImage[] = [];
  for (let i = 0; i < 57; i++) {
    const synthetic = i % 7 === 3;
    list.push({
      split: synthetic ? "TRAIN" : SPLIT_CYCLE[i % SPLIT_CYCLE.length]!,
      origin: synthetic ? "SYNTHETIC" : "REAL",
      reviewState: synthetic ? (["PENDING", "ACCEPTED"] as const)[i % 2]! : "NONE",
      tags: i % 4 === 0 ? ["fog"] : i % 4 === 1 ? ["fog", "night"] : [],
      capturedAt: new Date(Date.UTC(2025, 0, 1 + i)),
      boxes: [...(i % 3 === 0 ? [classA, classA] : []), ...(i % 5 === 0 ? [classB] : [])],
    });
  }
  const ids = await seedImages(t.db.prisma, datasetId, list);
  ids.forEach((id, i) => specs.push({ ...list[i]!, id }));
});
after(async () => {
  await t.close();
});

type Filter = {
  classId?: string;
  splits?: Split[];
  origin?: Origin;
  reviewState?: ReviewState;
  tags?: string[];
  capturedAfter?: string;
  capturedBefore?: string;
};

const PAGE = `query($d: ID!, $f: ImageFilter, $n: Int, $a: String) { images(datasetId: $d, filter: $f, first: $n, after: $a) {
  totalCount totalCountCapped edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
type Page = {
  images: {
    totalCount: number;
    totalCountCapped: boolean;
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

async function walk(
  filter: Filter,
  first = 7,
): Promise<{ ids: string[]; total: number; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let total = -1;
  let pages = 0;
  for (;;) {
    const r: GraphQLResult<Page> = await t.gql<Page>(
      PAGE,
      { d: datasetId, f: filter, n: first, a: after },
      t.users.VIEWER,
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    pages++;
    total = r.data!.images.totalCount;
    assert.equal(r.data!.images.totalCountCapped, false);
    ids.push(...r.data!.images.edges.map((e) => e.node.id));
    if (!r.data!.images.pageInfo.hasNextPage) return { ids, total, pages };
    after = r.data!.images.pageInfo.endCursor;
  }
}

function expected(filter: Filter): string[] {
  return specs
    .filter((s) => !filter.classId || s.boxes?.includes(filter.classId))
    .filter((s) => !filter.splits || filter.splits.includes(s.split!))
    .filter((s) => !filter.origin || s.origin === filter.origin)
    .filter((s) => !filter.reviewState || s.reviewState === filter.reviewState)
    .filter((s) => !filter.tags || filter.tags.every((tag) => s.tags?.includes(tag)))
    .filter((s) => !filter.capturedAfter || s.capturedAt! >= new Date(filter.capturedAfter))
    .filter((s) => !filter.capturedBefore || s.capturedAt! < new Date(filter.capturedBefore))
    .map((s) => s.id)
    .sort();
}

test("walking every page under each filter gives each matching image once, in id order, with the right total", async () => {
  const filters: Filter[] = [
    {},
    { splits: ["TRAIN", "VAL"] },
    { origin: "SYNTHETIC" },
    { splits: ["TEST"], origin: "REAL" },
    { reviewState: "PENDING" },
    { classId: classA },
    { classId: classA, splits: ["TRAIN"] },
    { classId: classB, origin: "REAL", splits: ["TRAIN", "UNASSIGNED"] },
    { classId: classA, reviewState: "ACCEPTED" },
    { tags: ["fog"] },
    { tags: ["Night ", "fog"] },
    { classId: classA, tags: ["fog"] },
    { capturedAfter: "2025-01-10T00:00:00Z", capturedBefore: "2025-02-01T00:00:00Z" },
  ];
  for (const filter of filters) {
    const want = expected({
      ...filter,
      ...(filter.tags ? { tags: filter.tags.map((x) => x.trim().toLowerCase()) } : {}),
    });
    const got = await walk(filter);
    assert.deepEqual(got.ids, want, `filter ${JSON.stringify(filter)}`);
    assert.equal(new Set(got.ids).size, got.ids.length);
    assert.equal(got.total, want.length, `total for ${JSON.stringify(filter)}`);
    assert.ok(want.length > 0, `filter ${JSON.stringify(filter)} should match something`);
  }
});

test("rows added while paging appear after the cursor, never as duplicates", async () => {
  const first = await t.gql<Page>(PAGE, { d: datasetId, n: 10 }, t.users.VIEWER);
  const seen = first.data!.images.edges.map((e) => e.node.id);
  const [added] = await seedImages(t.db.prisma, datasetId, [{ split: "VAL" }]);
  specs.push({
    id: added!,
    split: "VAL",
    origin: "REAL",
    reviewState: "NONE",
    tags: [],
    capturedAt: new Date(Date.UTC(2030, 0, 1)),
    boxes: [],
  });
  let after = first.data!.images.pageInfo.endCursor;
  for (;;) {
    const r: GraphQLResult<Page> = await t.gql<Page>(
      PAGE,
      { d: datasetId, n: 20, a: after },
      t.users.VIEWER,
    );
    seen.push(...r.data!.images.edges.map((e) => e.node.id));
    if (!r.data!.images.pageInfo.hasNextPage) break;
    after = r.data!.images.pageInfo.endCursor;
  }
  assert.equal(new Set(seen).size, seen.length);
  assert.equal(seen.at(-1), added);
});

test("bad page arguments are input errors", async () => {
  assert.equal(
    errorCode(await t.gql(PAGE, { d: datasetId, n: 201 }, t.users.VIEWER)),
    "BAD_USER_INPUT",
  );
  assert.equal(
    errorCode(await t.gql(PAGE, { d: datasetId, n: 0 }, t.users.VIEWER)),
    "BAD_USER_INPUT",
  );
  assert.equal(
    errorCode(await t.gql(PAGE, { d: datasetId, a: "garbage" }, t.users.VIEWER)),
    "BAD_USER_INPUT",
  );
  assert.equal(
    errorCode(await t.gql(PAGE, { d: "00000000-0000-7000-8000-000000000000" }, t.users.VIEWER)),
    "NOT_FOUND",
  );
});

test("tags are normalised, counted, added and removed in bulk", async () => {
  const ids = specs.slice(0, 3).map((s) => s.id);
  const added = await t.gql(
    `mutation($ids: [ID!]!) { addImageTags(imageIds: $ids, tags: [" Rain", "rain", "FOG"]) }`,
    { ids },
    t.users.CURATOR,
  );
  assert.deepEqual(added.data, { addImageTags: 3 });
  const tags = await t.db.prisma.image.findMany({
    where: { id: { in: ids } },
    select: { tags: true },
  });
  assert.ok(
    tags.every(
      (row) => row.tags.includes("rain") && row.tags.includes("fog") && !row.tags.includes("Rain"),
    ),
  );
  const listed = await t.gql<{ imageTags: string[] }>(
    `query($d: ID!) { imageTags(datasetId: $d) }`,
    { d: datasetId },
    t.users.VIEWER,
  );
  assert.equal(listed.data!.imageTags[0], "fog", "most used first");
  assert.ok(listed.data!.imageTags.includes("rain"));
  const removed = await t.gql(
    `mutation($ids: [ID!]!) { removeImageTags(imageIds: $ids, tags: ["RAIN"]) }`,
    { ids },
    t.users.CURATOR,
  );
  assert.deepEqual(removed.data, { removeImageTags: 3 });
  const audit = await t.db.prisma.auditEvent.findMany({
    where: { datasetId, action: { in: ["image.addTags", "image.removeTags"] } },
  });
  assert.equal(audit.length, 2);
});

test("synthetic images stay in TRAIN; capture times can be set and cleared", async () => {
  const synthetic = specs.find((s) => s.origin === "SYNTHETIC")!;
  const refused = await t.gql(
    `mutation($ids: [ID!]!) { setImageSplit(imageIds: $ids, split: TEST) }`,
    { ids: [synthetic.id] },
    t.users.CURATOR,
  );
  assert.equal(errorCode(refused), "BAD_USER_INPUT");
  const set = await t.gql<{ setImageCapture: { capturedAt: string } }>(
    `mutation($id: ID!) { setImageCapture(imageId: $id, capturedAt: "2024-06-01T10:00:00+02:00") { capturedAt } }`,
    { id: synthetic.id },
    t.users.CURATOR,
  );
  assert.equal(set.data!.setImageCapture.capturedAt, "2024-06-01T08:00:00.000Z");
  const bad = await t.gql(
    `mutation($id: ID!) { setImageCapture(imageId: $id, capturedAt: "yesterday") { id } }`,
    { id: synthetic.id },
    t.users.CURATOR,
  );
  assert.ok(bad.errors?.length);
});

test("deleting images removes their rows, counts, objects and thumbnails", async () => {
  const deps = { prisma: t.db.prisma, storage: t.storage, config: t.config };
  const { image } = await addImageFromBuffer(deps, {
    datasetId,
    buffer: await makePng(20, 20, 900),
    filename: "gone.png",
    annotations: [{ classId: classB, box: { x: 0, y: 0, width: 5, height: 5 } }],
    actor: null,
  });
  const thumb = await t.gql<{ image: { thumbnailUrl: string } }>(
    `query($id: ID!) { image(id: $id) { thumbnailUrl } }`,
    { id: image.id },
    t.users.VIEWER,
  );
  assert.equal((await fetch(thumb.data!.image.thumbnailUrl)).status, 200);
  const keysOf = async () => {
    const keys: string[] = [];
    for await (const key of t.storage.listKeys("images"))
      if (key.includes(image.sha256)) keys.push(key);
    return keys;
  };
  assert.equal((await keysOf()).length, 2);
  const before = await t.db.prisma.classCounter.aggregate({
    where: { datasetId, classId: classB },
    _sum: { images: true },
  });
  const r = await t.gql(
    `mutation($ids: [ID!]!) { deleteImages(imageIds: $ids) }`,
    { ids: [image.id] },
    t.users.CURATOR,
  );
  assert.deepEqual(r.data, { deleteImages: 1 });
  const afterDelete = await t.db.prisma.classCounter.aggregate({
    where: { datasetId, classId: classB },
    _sum: { images: true },
  });
  assert.equal(afterDelete._sum.images, before._sum.images! - 1);
  assert.deepEqual(await keysOf(), []);
  assert.equal(
    (
      await t.gql<{ image: null }>(
        `query($id: ID!) { image(id: $id) { id } }`,
        { id: image.id },
        t.users.VIEWER,
      )
    ).data!.image,
    null,
  );
});
