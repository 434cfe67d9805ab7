// Upload tickets other than images' (an import's zip, a prediction zip, a model's and a detector's
// ONNX files), against PostgreSQL and the S3 server: each ticket is signed for the size its caller
// announced, so the store refuses a body of any other length, and a size over the configured
// limit gets no ticket at all. What is uploaded and then abandoned is swept once no job needs it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ABANDONED_UPLOAD_MS, sweepAbandonedUploads } from "@gridfill/core/jobs/upkeep.ts";
import { startTestApi, errorCode, type TestApi } from "./testing/harness.ts";

type Ticket = { url: string; headers: Record<string, string> | null };
type KeyedTicket = Ticket & { key: string };

let t: TestApi;
let datasetId: string;

before(async () => {
  t = await startTestApi({ GRIDFILL_MAX_ARCHIVE_BYTES: "4096", GRIDFILL_MAX_MODEL_BYTES: "2048" });
  const r = await t.gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "tickets" }) { id } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = r.data!.createDataset.id;
});
after(() => t.close());

/** Each kind of ticket, asked for `bytes` bytes: its URL, or the GraphQL error. */
const KINDS: Record<string, (bytes: number) => Promise<{ ticket?: Ticket; error?: string }>> = {
  import: (bytes) =>
    ask(
      `mutation($d: ID!, $b: Float!) { t: requestImportUpload(datasetId: $d, bytes: $b) { url headers } }`,
      { d: datasetId, b: bytes },
    ),
  predictions: (bytes) =>
    ask(
      `mutation($d: ID!, $b: Float!) { t: requestPredictionUpload(datasetId: $d, bytes: $b) { url headers } }`,
      { d: datasetId, b: bytes },
    ),
  detector: (bytes) =>
    ask(
      `mutation($d: ID!, $b: Int!) { t: requestDetectorUpload(datasetId: $d, bytes: $b) { url headers } }`,
      { d: datasetId, b: bytes },
    ),
  generator: (bytes) =>
    ask(
      `mutation($b: Int!) { t: requestModelUpload(generatorBytes: $b) { url: generatorUrl headers } }`,
      { b: bytes },
      t.users.ADMIN,
    ),
  critic: (bytes) =>
    ask(
      `mutation($b: Int!) { t: requestModelUpload(generatorBytes: 1, criticBytes: $b) { url: criticUrl headers } }`,
      { b: bytes },
      t.users.ADMIN,
    ),
};

async function ask(query: string, variables: Record<string, unknown>, as = t.users.CURATOR) {
  const r = await t.gql<{ t: Ticket }>(query, variables, as);
  if (r.errors) return { error: `${errorCode(r)}: ${r.errors[0]!.message}` };
  return { ticket: r.data!.t };
}

const sweepDeps = () => ({ prisma: t.db.prisma, storage: t.storage });

const put = (ticket: Ticket, body: Buffer) =>
  fetch(ticket.url, { method: "PUT", headers: ticket.headers ?? {}, body: new Uint8Array(body) });

for (const [kind, request] of Object.entries(KINDS)) {
  test(`${kind}: the ticket takes exactly the announced bytes, no more and no less`, async () => {
    const { ticket, error } = await request(1000);
    assert.ok(ticket, error);
    for (const body of [Buffer.alloc(8 << 20, 1), Buffer.alloc(999, 1)]) {
      const res = await put(ticket, body);
      assert.equal(res.status, 403, `${body.length} bytes on a 1000-byte ${kind} ticket`);
    }
    assert.equal((await put(ticket, Buffer.alloc(1000, 1))).status, 200);
  });
}

test("a size over the limit, zero, negative or fractional gets a clear error and no ticket", async () => {
  const before = await t.db.prisma.auditEvent.count();
  for (const [kind, bytes, pattern] of [
    ["import", 4097, /zip is 4097 bytes, more than the 4096-byte limit/],
    ["predictions", 5000, /4096-byte limit/],
    ["detector", 2049, /ONNX file is 2049 bytes, more than the 2048-byte limit/],
    ["generator", 2049, /2048-byte limit/],
    ["critic", 4096, /2048-byte limit/],
    ["import", 0, /whole number ≥ 1/],
    ["import", -5, /whole number ≥ 1/],
    ["import", 10.5, /whole number ≥ 1/],
    ["detector", 0, /whole number ≥ 1/],
  ] as const) {
    const { ticket, error } = await KINDS[kind]!(bytes);
    assert.equal(ticket, undefined, `${kind} ${bytes}`);
    assert.match(error!, /^BAD_USER_INPUT: /, `${kind} ${bytes}`);
    assert.match(error!, pattern, `${kind} ${bytes}`);
  }
  assert.equal(await t.db.prisma.auditEvent.count(), before, "a refused ticket is not recorded");
});

test("a model ticket without a critic size has no critic URL", async () => {
  const r = await t.gql<{
    requestModelUpload: {
      generatorUrl: string;
      criticKey: string | null;
      criticUrl: string | null;
    };
  }>(
    `mutation { requestModelUpload(generatorBytes: 10) { generatorUrl criticKey criticUrl } }`,
    {},
    t.users.ADMIN,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data!.requestModelUpload.criticKey, null);
  assert.equal(r.data!.requestModelUpload.criticUrl, null);
});

test("uploads nothing will read are swept after a day; a waiting import's zip is kept", async () => {
  const zipTicket = async (mutation: string) => {
    const r = await t.gql<Record<string, KeyedTicket>>(
      `mutation($d: ID!) { ${mutation}(datasetId: $d, bytes: 10) { key url headers } }`,
      { d: datasetId },
      t.users.CURATOR,
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const ticket = r.data![mutation]!;
    assert.equal((await put(ticket, Buffer.alloc(10, 2))).status, 200);
    return ticket.key;
  };
  const abandonedImport = await zipTicket("requestImportUpload");
  const waitingImport = await zipTicket("requestImportUpload");
  const abandonedPredictions = await zipTicket("requestPredictionUpload");
  const model = await t.gql<{ requestModelUpload: { generatorKey: string } & Ticket }>(
    `mutation { requestModelUpload(generatorBytes: 10) { generatorKey url: generatorUrl headers } }`,
    {},
    t.users.ADMIN,
  );
  const staged = model.data!.requestModelUpload;
  assert.equal((await put(staged, Buffer.alloc(10, 3))).status, 200);
  await t.db.prisma.importJob.create({
    data: { datasetId, format: "VOC", source: waitingImport, status: "QUEUED" },
  });

  const exists = async (bucket: "images" | "models", key: string) =>
    (await t.storage.stat(bucket, key).catch(() => null)) !== null;
  const all = async () => ({
    abandonedImport: await exists("images", abandonedImport),
    waitingImport: await exists("images", waitingImport),
    abandonedPredictions: await exists("images", abandonedPredictions),
    stagedModel: await exists("models", staged.generatorKey),
  });

  // Within a day, everything stays: a curator may still start the import or register the model.
  assert.equal(
    await sweepAbandonedUploads(sweepDeps(), new Date(Date.now() + ABANDONED_UPLOAD_MS / 2)),
    0,
  );
  assert.deepEqual(await all(), {
    abandonedImport: true,
    waitingImport: true,
    abandonedPredictions: true,
    stagedModel: true,
  });
  // A day later, only the zip of the import that waits for a worker is left.
  // (The earlier tests' uploads are abandoned too.)
  let uploaded = 0;
  for (const [bucket, prefix] of [
    ["images", "imports/"],
    ["images", "predictions/"],
    ["models", "staging/"],
  ] as const)
    for await (const key of t.storage.listKeys(bucket, prefix)) if (key) uploaded++;
  const later = new Date(Date.now() + ABANDONED_UPLOAD_MS + 60_000);
  assert.equal(await sweepAbandonedUploads(sweepDeps(), later), uploaded - 1);
  assert.deepEqual(await all(), {
    abandonedImport: false,
    waitingImport: true,
    abandonedPredictions: false,
    stagedModel: false,
  });
});
