// Every mutation, called by anonymous, VIEWER, CURATOR and ADMIN callers. The minimum role of each
// mutation is written out here, so that changing a directive fails this test until the table
// changes too; and the table must cover every Mutation field of the schema.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApi, type TestApi, type TestUser } from "../testing/harness.ts";
import type { Role } from "../context.ts";
import { buildSchema } from "../schema.ts";

type Minimum = Role | "PUBLIC";
const MISSING = "00000000-0000-7000-8000-000000000000";

/** One sample call per mutation; ids point at nothing, so allowed calls fail with NOT_FOUND or succeed harmlessly. */
const MUTATIONS: Record<
  string,
  { minimum: Minimum; call: () => [string, Record<string, unknown>] }
> = {
  _noop: { minimum: "PUBLIC", call: () => [`mutation { _noop }`, {}] },
  login: {
    minimum: "PUBLIC",
    call: () => [
      `mutation { login(email: "nobody@example.com", password: "wrong password") { sessionToken } }`,
      {},
    ],
  },
  logout: { minimum: "PUBLIC", call: () => [`mutation { logout }`, {}] },
  createApiToken: {
    minimum: "VIEWER",
    call: () => [`mutation { createApiToken(name: "matrix") { token } }`, {}],
  },
  revokeApiToken: {
    minimum: "VIEWER",
    call: () => [`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: MISSING }],
  },
  createUser: {
    minimum: "ADMIN",
    call: () => [
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      {
        input: {
          email: `u-${randomUUID()}@example.com`,
          name: "U",
          password: "long enough password",
        },
      },
    ],
  },
  setUserRole: {
    minimum: "ADMIN",
    call: () => [
      `mutation($id: ID!) { setUserRole(userId: $id, role: VIEWER) { id } }`,
      { id: MISSING },
    ],
  },
  createDataset: {
    minimum: "CURATOR",
    call: () => [
      `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`,
      { input: { name: `ds-${randomUUID()}` } },
    ],
  },
  updateDataset: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateDataset(id: $id, input: { description: "x" }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteDataset: {
    minimum: "ADMIN",
    call: () => [`mutation($id: ID!) { deleteDataset(id: $id) }`, { id: MISSING }],
  },
  createClass: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { createClass(datasetId: $id, input: { name: "c" }) { id } }`,
      { id: MISSING },
    ],
  },
  updateClass: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateClass(id: $id, input: { title: "t" }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteClass: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteClass(id: $id) }`, { id: MISSING }],
  },
  requestUpload: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { requestUpload(datasetId: $id, input: { filename: "a.png", sha256: "${"a".repeat(64)}", bytes: 10, mimeType: "image/png" }) { uploadId } }`,
      { id: MISSING },
    ],
  },
  confirmUpload: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { confirmUpload(datasetId: $id, uploadId: $id) { duplicate } }`,
      { id: MISSING },
    ],
  },
  setImageSplit: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { setImageSplit(imageIds: [$id], split: TRAIN) }`,
      { id: MISSING },
    ],
  },
  addImageTags: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { addImageTags(imageIds: [$id], tags: ["fog"]) }`,
      { id: MISSING },
    ],
  },
  removeImageTags: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { removeImageTags(imageIds: [$id], tags: ["fog"]) }`,
      { id: MISSING },
    ],
  },
  setImageCapture: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { setImageCapture(imageId: $id, capturedAt: null) { id } }`,
      { id: MISSING },
    ],
  },
  deleteImages: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteImages(imageIds: [$id]) }`, { id: MISSING }],
  },
  createAnnotation: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { createAnnotation(imageId: $id, input: { classId: $id, box: { x: 0, y: 0, width: 5, height: 5 } }) { id } }`,
      { id: MISSING },
    ],
  },
  updateAnnotation: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateAnnotation(id: $id, input: { classId: $id }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteAnnotation: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteAnnotation(id: $id) }`, { id: MISSING }],
  },
  requestImportUpload: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { requestImportUpload(datasetId: $id, bytes: 100) { key } }`,
      { id: MISSING },
    ],
  },
  createVersion: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { createVersion(datasetId: $id) { id } }`, { id: MISSING }],
  },
  exportVersion: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { exportVersion(versionId: $id, format: COCO) { id } }`,
      { id: MISSING },
    ],
  },
  startImport: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { startImport(datasetId: $id, format: VOC, source: "imports/x.zip") { id } }`,
      { id: MISSING },
    ],
  },
  requestPredictionUpload: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { requestPredictionUpload(datasetId: $id, bytes: 100) { key } }`,
      { id: MISSING },
    ],
  },
  importPredictions: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { importPredictions(datasetId: $id, version: 1, split: TEST, format: COCO, source: "predictions/x.zip") { id } }`,
      { id: MISSING },
    ],
  },
  acceptPrediction: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { acceptPrediction(runId: $id, predictionId: $id) { id } }`,
      { id: MISSING },
    ],
  },
  decideLabelError: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { decideLabelError(runId: $id, key: "MISSING_LABEL:00000000-0000-7000-8000-000000000000", action: DISMISS) { key } }`,
      { id: MISSING },
    ],
  },
  requestDetectorUpload: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { requestDetectorUpload(datasetId: $id, bytes: 100) { key } }`,
      { id: MISSING },
    ],
  },
  runDetector: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { runDetector(datasetId: $id, version: 1, split: TEST, source: "staging/detectors/x.onnx", sha256: "00") { id } }`,
      { id: MISSING },
    ],
  },
  acceptPredictionsAbove: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { acceptPredictionsAbove(runId: $id, minScore: 0.5) { boxes } }`,
      { id: MISSING },
    ],
  },
  createMetric: {
    minimum: "CURATOR",
    call: () => [
      `mutation($n: String!) { createMetric(input: { name: $n, unit: "%" }) { id } }`,
      { n: `m_${randomUUID().replaceAll("-", "").slice(0, 12)}` },
    ],
  },
  requestModelUpload: {
    minimum: "ADMIN",
    call: () => [`mutation { requestModelUpload(generatorBytes: 100) { generatorKey } }`, {}],
  },
  registerModel: {
    minimum: "ADMIN",
    call: () => [
      `mutation($k: String!) { registerModel(input: { name: "m", version: "1", generatorKey: $k }) { id } }`,
      { k: `staging/${MISSING}/generator.onnx` },
    ],
  },
  activateModel: {
    minimum: "ADMIN",
    call: () => [`mutation($id: ID!) { activateModel(id: $id) { id } }`, { id: MISSING }],
  },
  requestFill: {
    minimum: "CURATOR",
    call: () => [
      `mutation($d: ID!) { requestFill(input: { datasetId: $d, classId: $d, count: 1 }) { id } }`,
      { d: MISSING },
    ],
  },
  previewFill: {
    minimum: "CURATOR",
    call: () => [
      `mutation($d: ID!) { previewFill(input: { datasetId: $d, classId: $d, count: 1 }) { id } }`,
      { d: MISSING },
    ],
  },
  cancelFill: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { cancelFill(id: $id) { id } }`, { id: MISSING }],
  },
  reviewImages: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { reviewImages(imageIds: [$id], decision: ACCEPT) { changed } }`,
      { id: MISSING },
    ],
  },
  regenerate: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { regenerate(imageId: $id) { identical } }`, { id: MISSING }],
  },
  setImageSource: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { setImageSource(imageId: $id, deviceId: null) { id } }`,
      { id: MISSING },
    ],
  },
  createLine: {
    minimum: "CURATOR",
    call: () => [
      `mutation($n: String!) { createLine(input: { name: $n, voltageKv: 110 }) { id } }`,
      { n: `line-${randomUUID()}` },
    ],
  },
  updateLine: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateLine(id: $id, input: { voltageKv: 220 }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteLine: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteLine(id: $id) }`, { id: MISSING }],
  },
  updateTower: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateTower(id: $id, input: { latitude: 31 }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteTower: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteTower(id: $id) }`, { id: MISSING }],
  },
  createTower: {
    minimum: "CURATOR",
    call: () => [
      `mutation($n: String!) { createTower(input: { name: $n, latitude: 30, longitude: 114 }) { id } }`,
      { n: `tower-${randomUUID()}` },
    ],
  },
  createDevice: {
    minimum: "CURATOR",
    call: () => [
      `mutation($n: String!) { createDevice(input: { name: $n, kind: SENSOR }) { id } }`,
      { n: `device-${randomUUID()}` },
    ],
  },
  updateDevice: {
    minimum: "CURATOR",
    call: () => [
      `mutation($id: ID!) { updateDevice(id: $id, input: { kind: UAV }) { id } }`,
      { id: MISSING },
    ],
  },
  deleteDevice: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { deleteDevice(id: $id) }`, { id: MISSING }],
  },
  issueDeviceCredential: {
    minimum: "CURATOR",
    call: () => [`mutation($id: ID!) { issueDeviceCredential(id: $id) { id } }`, { id: MISSING }],
  },
  ingestReadings: {
    minimum: "CURATOR",
    call: () => [
      `mutation { ingestReadings(batch: [{ device: "nope", metric: "humidity", time: "2026-01-01T00:00:00Z", value: 1 }]) { stored } }`,
      {},
    ],
  },
};

const RANK: Record<Minimum, number> = { PUBLIC: 0, VIEWER: 1, CURATOR: 2, ADMIN: 3 };
const AUTH_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

test("the table names every Mutation field of the schema, and only those", () => {
  // From the executable schema itself: introspection is off outside development.
  const fields = Object.keys(buildSchema().getMutationType()!.getFields()).sort();
  assert.deepEqual(Object.keys(MUTATIONS).sort(), fields);
});

/** Row counts of the tables a refused mutation could have touched, in one query. */
async function snapshot() {
  const { rows } = await t.db.pool.query(`SELECT
    (SELECT count(*) FROM "AuditEvent") AS audit, (SELECT count(*) FROM "User") AS users,
    (SELECT count(*) FROM "Dataset") AS datasets, (SELECT count(*) FROM "ApiToken") AS tokens,
    (SELECT count(*) FROM "UploadIntent") AS intents, (SELECT count(*) FROM "Session") AS sessions`);
  return rows[0] as Record<string, string>;
}

test("each mutation refuses callers below its minimum role before running, and lets the others through", async () => {
  const callers: [string, TestUser | null, number][] = [
    ["anonymous", null, 0],
    ["VIEWER", t.users.VIEWER, 1],
    ["CURATOR", t.users.CURATOR, 2],
    ["ADMIN", t.users.ADMIN, 3],
  ];
  for (const [name, spec] of Object.entries(MUTATIONS)) {
    for (const [who, user, rank] of callers) {
      const [query, variables] = spec.call();
      const before = await snapshot();
      const result = await t.gql(query, variables, user);
      const code = result.errors?.[0]?.extensions?.code as string | undefined;
      if (rank < RANK[spec.minimum]) {
        assert.equal(
          code,
          user ? "FORBIDDEN" : "UNAUTHENTICATED",
          `${name} as ${who}: ${JSON.stringify(result)}`,
        );
        assert.equal(result.data, undefined, `${name} as ${who} must not execute`);
        assert.deepEqual(await snapshot(), before, `${name} as ${who} changed something`);
      } else {
        assert.ok(
          !code || !AUTH_CODES.has(code) || name === "login",
          `${name} as ${who} was refused: ${JSON.stringify(result.errors)}`,
        );
        assert.notEqual(
          code,
          "INTERNAL_SERVER_ERROR",
          `${name} as ${who}: ${JSON.stringify(result.errors)}`,
        );
      }
    }
  }
});

test("queries below their minimum role are refused the same way", async () => {
  const cases: [string, TestUser | null, string | undefined][] = [
    [`{ datasets { edges { node { id } } } }`, null, "UNAUTHENTICATED"],
    [`{ datasets { edges { node { id } } } }`, t.users.VIEWER, undefined],
    [`{ users { id } }`, t.users.CURATOR, "FORBIDDEN"],
    [`{ auditEvents { edges { node { id } } } }`, t.users.CURATOR, "FORBIDDEN"],
    [`{ auditEvents { edges { node { id } } } }`, t.users.ADMIN, undefined],
    [`{ me { id } }`, null, undefined],
  ];
  for (const [query, user, expected] of cases) {
    const result = await t.gql(query, {}, user);
    assert.equal(
      result.errors?.[0]?.extensions?.code,
      expected,
      `${query} as ${user?.role ?? "anonymous"}`,
    );
  }
});
