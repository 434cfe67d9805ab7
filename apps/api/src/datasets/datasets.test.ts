// Datasets and their class taxonomy through the API, with the audit trail each change leaves.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import { CLASS_PALETTE } from "@gridfill/balance";

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

type Cls = {
  id: string;
  name: string;
  color: string;
  parent: { name: string } | null;
  children: { name: string }[];
};

async function create(name: string, classes: Record<string, unknown>[] = []) {
  const r = await t.gql<{ createDataset: { id: string; classes: Cls[] } }>(
    `mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id classes { id name color parent { name } children { name } } } }`,
    { i: { name, classes } },
    t.users.CURATOR,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!.createDataset;
}

test("a dataset is created with its classes, coloured from the palette unless given", async () => {
  const ds = await create("insulators", [
    { name: "broken", assetType: "INSULATOR" },
    { name: "flashover", color: "#123abc" },
    { name: "missing-pin" },
  ]);
  const byName = Object.fromEntries(ds.classes.map((c) => [c.name, c]));
  assert.equal(byName.broken!.color, CLASS_PALETTE[0]);
  assert.equal(byName.flashover!.color, "#123ABC");
  assert.equal(byName["missing-pin"]!.color, CLASS_PALETTE[1]);
  const actions = (
    await t.db.prisma.auditEvent.findMany({ where: { datasetId: ds.id }, orderBy: { id: "asc" } })
  ).map((e) => e.action);
  assert.deepEqual(actions, ["dataset.create", "class.create", "class.create", "class.create"]);

  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createDataset(input: { name: "insulators" }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "CONFLICT",
  );
  assert.equal(
    errorCode(
      await t.gql(`mutation { createDataset(input: { name: "  " }) { id } }`, {}, t.users.CURATOR),
    ),
    "BAD_USER_INPUT",
  );
  const byNameQuery = await t.gql<{ dataset: { id: string } }>(
    `{ dataset(name: "insulators") { id } }`,
    {},
    t.users.VIEWER,
  );
  assert.equal(byNameQuery.data!.dataset.id, ds.id);
});

test("updateDataset changes the policy and checks it", async () => {
  const ds = await create("policy");
  const r = await t.gql<{
    updateDataset: {
      countPendingSynthetic: boolean;
      countUnreviewedPredicted: boolean;
      syntheticShareCap: number;
    };
  }>(
    `mutation($id: ID!) { updateDataset(id: $id, input: { countPendingSynthetic: true, countUnreviewedPredicted: false, syntheticShareCap: 0.3 }) { countPendingSynthetic countUnreviewedPredicted syntheticShareCap } }`,
    { id: ds.id },
    t.users.CURATOR,
  );
  assert.deepEqual(r.data!.updateDataset, {
    countPendingSynthetic: true,
    countUnreviewedPredicted: false,
    syntheticShareCap: 0.3,
  });
  const audit = await t.db.prisma.auditEvent.findFirstOrThrow({
    where: { datasetId: ds.id, action: "dataset.update" },
    orderBy: { id: "desc" },
  });
  assert.deepEqual(audit.details, {
    countPendingSynthetic: true,
    countUnreviewedPredicted: false,
    syntheticShareCap: 0.3,
  });
  const viewer = await t.gql(
    `mutation($id: ID!) { updateDataset(id: $id, input: { countUnreviewedPredicted: true }) { id } }`,
    { id: ds.id },
    t.users.VIEWER,
  );
  assert.equal(errorCode(viewer), "FORBIDDEN");
  const bad = await t.gql(
    `mutation($id: ID!) { updateDataset(id: $id, input: { syntheticShareCap: 1.5 }) { id } }`,
    { id: ds.id },
    t.users.CURATOR,
  );
  assert.equal(errorCode(bad), "BAD_USER_INPUT");
});

test("classes form a taxonomy without cycles; a class in use cannot be deleted", async () => {
  const ds = await create("taxonomy", [{ name: "insulator-defect" }]);
  const parent = ds.classes[0]!;
  const child = await t.gql<{ createClass: Cls }>(
    `mutation($d: ID!, $p: ID!) { createClass(datasetId: $d, input: { name: "glass-broken", parentId: $p }) { id name color parent { name } children { name } } }`,
    { d: ds.id, p: parent.id },
    t.users.CURATOR,
  );
  assert.equal(child.data!.createClass.parent!.name, "insulator-defect");
  const childId = child.data!.createClass.id;

  const cycle = await t.gql(
    `mutation($id: ID!, $p: ID!) { updateClass(id: $id, input: { parentId: $p }) { id } }`,
    { id: parent.id, p: childId },
    t.users.CURATOR,
  );
  assert.equal(errorCode(cycle), "BAD_USER_INPUT");
  assert.match(cycle.errors![0]!.message, /ancestor/);
  const dup = await t.gql(
    `mutation($d: ID!) { createClass(datasetId: $d, input: { name: "Glass-Broken" }) { id } }`,
    { d: ds.id },
    t.users.CURATOR,
  );
  assert.equal(errorCode(dup), "CONFLICT");

  const other = await create("elsewhere", [{ name: "x" }]);
  const foreignParent = await t.gql(
    `mutation($id: ID!, $p: ID!) { updateClass(id: $id, input: { parentId: $p }) { id } }`,
    { id: childId, p: other.classes[0]!.id },
    t.users.CURATOR,
  );
  assert.equal(errorCode(foreignParent), "BAD_USER_INPUT");

  const detached = await t.gql<{ updateClass: { parent: null } }>(
    `mutation($id: ID!) { updateClass(id: $id, input: { parentId: null, title: "Broken glass" }) { parent { name } } }`,
    { id: childId },
    t.users.CURATOR,
  );
  assert.equal(detached.data!.updateClass.parent, null);

  await addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    {
      datasetId: ds.id,
      buffer: await makePng(40, 40, 101),
      filename: "a.png",
      annotations: [{ classId: childId, box: { x: 1, y: 1, width: 5, height: 5 } }],
      actor: null,
    },
  );
  const refused = await t.gql(
    `mutation($id: ID!) { deleteClass(id: $id) }`,
    { id: childId },
    t.users.CURATOR,
  );
  assert.equal(errorCode(refused), "CONFLICT");
  assert.match(refused.errors![0]!.message, /used by 1 annotation/);
  const deleted = await t.gql(
    `mutation($id: ID!) { deleteClass(id: $id) }`,
    { id: parent.id },
    t.users.CURATOR,
  );
  assert.deepEqual(deleted.data, { deleteClass: true });
});

test("deleting a dataset removes its rows and the objects no other dataset uses, after the commit", async () => {
  const deps = { prisma: t.db.prisma, storage: t.storage, config: t.config };
  const doomed = await create("doomed", [{ name: "a" }]);
  const keeper = await create("keeper", [{ name: "a" }]);
  const shared = await makePng(30, 30, 201);
  const own = await makePng(30, 30, 202);
  const a = await addImageFromBuffer(deps, {
    datasetId: doomed.id,
    buffer: shared,
    filename: "s.png",
    annotations: [{ className: "a", box: { x: 0, y: 0, width: 5, height: 5 } }],
    actor: null,
  });
  const b = await addImageFromBuffer(deps, {
    datasetId: doomed.id,
    buffer: own,
    filename: "o.png",
    actor: null,
  });
  await addImageFromBuffer(deps, {
    datasetId: keeper.id,
    buffer: shared,
    filename: "s.png",
    actor: null,
  });
  const exists = async (key: string) => (await t.storage.stat("images", key)) !== null;
  assert.ok(await exists(a.image.objectKey));
  assert.ok(await exists(b.image.objectKey));

  const r = await t.gql(
    `mutation($id: ID!) { deleteDataset(id: $id) }`,
    { id: doomed.id },
    t.users.ADMIN,
  );
  assert.deepEqual(r.data, { deleteDataset: true }, JSON.stringify(r.errors) + t.logged.join("\n"));
  assert.equal(await t.db.prisma.image.count({ where: { datasetId: doomed.id } }), 0);
  assert.equal(await t.db.prisma.classCounter.count({ where: { datasetId: doomed.id } }), 0);
  assert.ok(await exists(a.image.objectKey), "still used by the keeper dataset");
  assert.equal(await exists(b.image.objectKey), false);
  const audit = await t.db.prisma.auditEvent.findFirst({
    where: { action: "dataset.delete", entityId: doomed.id },
  });
  assert.equal(audit?.actorEmail, "admin@test.gridfill.local");
  assert.equal(
    errorCode(
      await t.gql(
        `mutation($id: ID!) { deleteDataset(id: $id) }`,
        { id: doomed.id },
        t.users.ADMIN,
      ),
    ),
    "NOT_FOUND",
  );
});

test("datasets page with cursors", async () => {
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const r: Awaited<
      ReturnType<
        typeof t.gql<{
          datasets: {
            edges: { node: { name: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>
      >
    > = await t.gql(
      `query($a: String) { datasets(first: 2, after: $a) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
      { a: after },
      t.users.VIEWER,
    );
    seen.push(...r.data!.datasets.edges.map((e) => e.node.name));
    if (!r.data!.datasets.pageInfo.hasNextPage) break;
    after = r.data!.datasets.pageInfo.endCursor;
  }
  const all = await t.db.prisma.dataset.findMany({ orderBy: { id: "asc" } });
  assert.deepEqual(
    seen,
    all.map((d) => d.name),
  );
  assert.equal(
    errorCode(
      await t.gql(
        `{ datasets(after: "bm90LWEtdXVpZA") { edges { node { id } } } }`,
        {},
        t.users.VIEWER,
      ),
    ),
    "BAD_USER_INPUT",
  );
});
