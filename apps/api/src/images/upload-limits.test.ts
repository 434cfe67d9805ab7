// What an upload ticket allows, against PostgreSQL and the S3 server: exactly the announced bytes,
// nothing that outlives its confirmation, and only so many open tickets per user.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { makePng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { sweepExpiredUploads } from "@gridfill/core/images/uploads.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const REQUEST = `mutation($d: ID!, $i: UploadRequestInput!) {
  requestUpload(datasetId: $d, input: $i) { uploadId url headers } }`;
const CONFIRM = `mutation($d: ID!, $u: ID!) { confirmUpload(datasetId: $d, uploadId: $u) { duplicate image { id } } }`;
type Ticket = { uploadId: string; url: string; headers: Record<string, string> };

let t: TestApi;
let datasetId: string;

before(async () => {
  t = await startTestApi({
    GRIDFILL_UPLOAD_MAX_OPEN: "3",
    GRIDFILL_UPLOAD_MAX_OPEN_BYTES: "60000",
  });
  const r = await t.gql<{ createDataset: { id: string } }>(
    `mutation { createDataset(input: { name: "limits", classes: [{ name: "broken" }] }) { id } }`,
    {},
    t.users.CURATOR,
  );
  datasetId = r.data!.createDataset.id;
});
after(() => t.close());

function request(bytes: number, hash = "a".repeat(64), as = t.users.CURATOR) {
  return t.gql<{ requestUpload: Ticket }>(
    REQUEST,
    { d: datasetId, i: { filename: "photo.png", sha256: hash, bytes, mimeType: "image/png" } },
    as,
  );
}

const put = (ticket: Ticket, body: Buffer) =>
  fetch(ticket.url, { method: "PUT", headers: ticket.headers, body: new Uint8Array(body) });

async function stagingKeys(): Promise<string[]> {
  const out: string[] = [];
  for await (const key of t.storage.listKeys("images", "staging/")) out.push(key);
  return out;
}

async function withoutOpenTickets() {
  await t.db.prisma.uploadIntent.deleteMany({});
}

test("a ticket takes exactly the announced bytes: a larger or smaller body is refused", async () => {
  await withoutOpenTickets();
  const png = await makePng(16, 16, 5);
  const ticket = (await request(png.length, sha(png))).data!.requestUpload;
  for (const body of [Buffer.alloc(8 << 20, 7), png.subarray(1)]) {
    const res = await put(ticket, body);
    assert.equal(res.status, 403, `${body.length} bytes on a ${png.length}-byte ticket`);
    await res.arrayBuffer();
  }
  assert.deepEqual(await stagingKeys(), [], "nothing was staged");
  assert.equal((await put(ticket, png)).status, 200);
  const confirmed = await t.gql(CONFIRM, { d: datasetId, u: ticket.uploadId }, t.users.CURATOR);
  assert.equal(confirmed.errors, undefined, JSON.stringify(confirmed.errors));
});

test("bytes PUT to a ticket after its confirmation are never read and are swept", async () => {
  await withoutOpenTickets();
  const png = await makePng(16, 16, 6);
  const ticket = (await request(png.length, sha(png))).data!.requestUpload;
  assert.equal((await put(ticket, png)).status, 200);
  const first = await t.gql<{ confirmUpload: { duplicate: boolean; image: { id: string } } }>(
    CONFIRM,
    { d: datasetId, u: ticket.uploadId },
    t.users.CURATOR,
  );
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  // The URL is still valid: someone writes to it again.
  const again = Buffer.alloc(png.length, 9);
  assert.equal((await put(ticket, again)).status, 200);
  assert.equal((await stagingKeys()).length, 1);
  const second = await t.gql<{ confirmUpload: { duplicate: boolean; image: { id: string } } }>(
    CONFIRM,
    { d: datasetId, u: ticket.uploadId },
    t.users.CURATOR,
  );
  assert.deepEqual(second.data!.confirmUpload, {
    duplicate: true,
    image: { id: first.data!.confirmUpload.image.id },
  });
  // Once the ticket's lifetime has passed, the sweep removes it, confirmed intent or not.
  const later = new Date(Date.now() + (t.config.uploadTtlSeconds + 60) * 1000);
  await sweepExpiredUploads({ prisma: t.db.prisma, storage: t.storage, config: t.config }, later);
  assert.deepEqual(await stagingKeys(), []);
});

test("a user's open tickets are limited in number and announced bytes, with a clear error", async () => {
  await withoutOpenTickets();
  for (let i = 0; i < 3; i++) assert.equal((await request(10_000)).errors, undefined);
  const fourth = await request(10_000);
  assert.equal(errorCode(fourth), "RATE_LIMITED");
  assert.match(fourth.errors![0]!.message, /3 open tickets .*at most 3 tickets/);
  assert.equal(await t.db.prisma.uploadIntent.count(), 3, "the refused request wrote nothing");
  // Another user has a quota of their own; bytes count too.
  assert.equal((await request(50_000, "b".repeat(64), t.users.ADMIN)).errors, undefined);
  const tooMany = await request(20_000, "c".repeat(64), t.users.ADMIN);
  assert.equal(errorCode(tooMany), "RATE_LIMITED");
  assert.match(tooMany.errors![0]!.message, /announcing 50000 bytes/);
});
