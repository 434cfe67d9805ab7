// Uploads end to end against PostgreSQL and an S3 server: every bad upload is refused with a clear
// reason and leaves nothing behind (no Image row, no intent, no staging or final object).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { makeBombPng, makePng, makeTruncatedPng, textFileAsPng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi, type TestUser } from "../testing/harness.ts";
import { addImageFromBuffer, sweepExpiredUploads } from "@gridfill/core/images/uploads.ts";
import { readCounters } from "@gridfill/core/balance/counters.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const REQUEST = `mutation($d: ID!, $i: UploadRequestInput!) {
  requestUpload(datasetId: $d, input: $i) { uploadId url headers expiresAt duplicateOf { id } } }`;
const CONFIRM = `mutation($d: ID!, $u: ID!) {
  confirmUpload(datasetId: $d, uploadId: $u) { duplicate image { id sha256 width height mimeType url thumbnailUrl } } }`;

let t: TestApi;
let datasetId: string;
let otherDatasetId: string;

type Ticket = { uploadId: string; url: string; headers: Record<string, string> };

async function createDataset(name: string): Promise<string> {
  const r = await t.gql<{ createDataset: { id: string } }>(
    `mutation($n: String!) { createDataset(input: { name: $n, classes: [{ name: "broken" }, { name: "flashover" }] }) { id } }`,
    { n: name },
    t.users.CURATOR,
  );
  return r.data!.createDataset.id;
}

/** requestUpload, then (unless skipped) PUT the bytes to the presigned URL. */
async function stage(
  bytes: Buffer,
  options: {
    declaredSha?: string;
    declaredBytes?: number;
    put?: boolean;
    dataset?: string;
    as?: TestUser;
  } = {},
): Promise<Ticket> {
  const r = await t.gql<{ requestUpload: Ticket }>(
    REQUEST,
    {
      d: options.dataset ?? datasetId,
      i: {
        filename: "photo.png",
        sha256: options.declaredSha ?? sha(bytes),
        bytes: options.declaredBytes ?? bytes.length,
        mimeType: "image/png",
      },
    },
    options.as ?? t.users.CURATOR,
  );
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const ticket = r.data!.requestUpload;
  if (options.put !== false) {
    const put = await fetch(ticket.url, {
      method: "PUT",
      headers: ticket.headers,
      body: new Uint8Array(bytes),
    });
    assert.equal(put.status, 200);
  }
  return ticket;
}

async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const key of t.storage.listKeys("images", prefix)) out.push(key);
  return out;
}

/** Nothing of the upload remains: no row, no intent, no staging object, no content-addressed object. */
async function assertLeftNothing(ticket: Ticket, bytes: Buffer) {
  assert.equal(
    await t.db.prisma.uploadIntent.count({ where: { id: ticket.uploadId } }),
    0,
    "intent left behind",
  );
  assert.equal(
    await t.db.prisma.image.count({ where: { sha256: sha(bytes) } }),
    0,
    "image row left behind",
  );
  assert.deepEqual(await keys(`staging/${ticket.uploadId}`), [], "staging object left behind");
  assert.deepEqual(
    (await keys("images/")).filter((k) => k.includes(sha(bytes))),
    [],
    "final object left behind",
  );
}

async function confirm(ticket: Ticket, as: TestUser | null = t.users.CURATOR, dataset = datasetId) {
  return t.gql<{
    confirmUpload: {
      duplicate: boolean;
      image: Record<string, unknown> & { id: string; url: string; thumbnailUrl: string };
    };
  }>(CONFIRM, { d: dataset, u: ticket.uploadId }, as);
}

before(async () => {
  t = await startTestApi();
  datasetId = await createDataset("uploads");
  otherDatasetId = await createDataset("other");
});
after(async () => {
  await t.close();
});

describe("bad uploads", () => {
  const rejected = async (
    bytes: Buffer,
    reason: string,
    options: Parameters<typeof stage>[1] = {},
  ) => {
    const ticket = await stage(bytes, options);
    const result = await confirm(ticket);
    assert.equal(errorCode(result), "UPLOAD_REJECTED", JSON.stringify(result.errors));
    assert.equal(result.errors![0]!.extensions!.reason, reason, result.errors![0]!.message);
    await assertLeftNothing(ticket, bytes);
    return result.errors![0]!.message;
  };

  test("a text file named .png", async () => {
    await rejected(textFileAsPng(), "NOT_AN_IMAGE");
  });

  test("a truncated PNG", async () => {
    await rejected(await makeTruncatedPng(), "TRUNCATED");
  });

  test("a 20000×20000 decompression bomb, refused from its header", async () => {
    const message = await rejected(makeBombPng(), "TOO_LARGE_DIMENSIONS");
    assert.match(message, /20000×20000/);
  });

  test("a bomb within the side limit but over the pixel limit", async () => {
    await rejected(makeBombPng(12000, 12000), "TOO_MANY_PIXELS");
  });

  test("bytes that do not match the announced sha256", async () => {
    const png = await makePng(32, 32, 41);
    await rejected(png, "SHA256_MISMATCH", { declaredSha: sha(Buffer.from("something else")) });
  });

  test("a size that does not match the announced one: the store refuses the PUT", async () => {
    const png = await makePng(32, 32, 42);
    const ticket = await stage(png, { declaredBytes: png.length + 10, put: false });
    const put = await fetch(ticket.url, {
      method: "PUT",
      headers: ticket.headers,
      body: new Uint8Array(png),
    });
    assert.equal(put.status, 403, "the signature binds the announced size");
    await put.arrayBuffer();
    const result = await confirm(ticket);
    assert.equal(result.errors![0]!.extensions!.reason, "OBJECT_MISSING");
    await assertLeftNothing(ticket, png);
  });

  test("an object that was never uploaded", async () => {
    await rejected(await makePng(32, 32, 43), "OBJECT_MISSING", { put: false });
  });

  test("an expired intent", async () => {
    const png = await makePng(32, 32, 44);
    const ticket = await stage(png);
    await t.db.prisma.uploadIntent.update({
      where: { id: ticket.uploadId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const result = await confirm(ticket);
    assert.equal(result.errors?.[0]?.extensions?.reason, "EXPIRED");
    await assertLeftNothing(ticket, png);
  });

  test("an upload confirmed into another dataset is refused and changes nothing", async () => {
    const png = await makePng(32, 32, 45);
    const ticket = await stage(png);
    const result = await confirm(ticket, t.users.CURATOR, otherDatasetId);
    assert.equal(result.errors?.[0]?.extensions?.reason, "WRONG_DATASET");
    assert.equal(await t.db.prisma.image.count({ where: { sha256: sha(png) } }), 0);
    assert.deepEqual(
      (await keys("images/")).filter((k) => k.includes(sha(png))),
      [],
    );
    // The intent and its bytes still belong to the dataset they were requested for.
    assert.equal(
      await t.db.prisma.uploadIntent.count({ where: { id: ticket.uploadId, confirmedAt: null } }),
      1,
    );
    assert.deepEqual(await keys(`staging/${ticket.uploadId}`), [`staging/${ticket.uploadId}`]);
    const right = await confirm(ticket);
    assert.equal(right.errors, undefined);
    assert.deepEqual(await keys(`staging/${ticket.uploadId}`), []);
  });

  for (const who of ["anonymous", "VIEWER"] as const) {
    test(`${who === "VIEWER" ? "a VIEWER" : "an anonymous"} caller can neither request nor confirm`, async () => {
      const user = who === "anonymous" ? null : t.users.VIEWER;
      const expected = user ? "FORBIDDEN" : "UNAUTHENTICATED";
      const png = await makePng(32, 32, who === "VIEWER" ? 46 : 47);
      const intentsBefore = await t.db.prisma.uploadIntent.count();
      const request = await t.gql(
        REQUEST,
        {
          d: datasetId,
          i: { filename: "a.png", sha256: sha(png), bytes: png.length, mimeType: "image/png" },
        },
        user,
      );
      assert.equal(errorCode(request), expected);
      assert.equal(
        await t.db.prisma.uploadIntent.count(),
        intentsBefore,
        "no intent may be created",
      );

      const ticket = await stage(png);
      const result = await confirm(ticket, user);
      assert.equal(errorCode(result), expected);
      assert.equal(await t.db.prisma.image.count({ where: { sha256: sha(png) } }), 0);
      assert.deepEqual(
        (await keys("images/")).filter((k) => k.includes(sha(png))),
        [],
      );
      // Not theirs to discard either: the curator's intent is untouched.
      assert.equal(
        await t.db.prisma.uploadIntent.count({ where: { id: ticket.uploadId, confirmedAt: null } }),
        1,
      );
    });
  }

  test("requestUpload checks its input before anything is created", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filename: "a.png", sha256: "xyz", bytes: 10, mimeType: "image/png" }, /sha256/],
      [
        {
          filename: "a.png",
          sha256: "a".repeat(64),
          bytes: t.config.imageLimits.maxBytes + 1,
          mimeType: "image/png",
        },
        /larger/,
      ],
      [
        { filename: "a.gif", sha256: "a".repeat(64), bytes: 10, mimeType: "image/gif" },
        /image\/png/,
      ],
      [
        { filename: "../etc/passwd", sha256: "a".repeat(64), bytes: 10, mimeType: "image/png" },
        /file name/,
      ],
    ];
    for (const [input, message] of cases) {
      const result = await t.gql(REQUEST, { d: datasetId, i: input }, t.users.CURATOR);
      assert.equal(errorCode(result), "BAD_USER_INPUT");
      assert.match(result.errors![0]!.message, message);
    }
  });
});

describe("good uploads", () => {
  test("request, PUT, confirm: the image is listed, its URLs work, the same file again is a duplicate", async () => {
    const png = await makePng(64, 48, 7);
    const ticket = await stage(png);
    const result = await confirm(ticket);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const { image, duplicate } = result.data!.confirmUpload;
    assert.equal(duplicate, false);
    assert.deepEqual(
      [image.width, image.height, image.mimeType, image.sha256],
      [64, 48, "image/png", sha(png)],
    );

    const original = await fetch(image.url);
    assert.equal(original.status, 200);
    assert.deepEqual(Buffer.from(await original.arrayBuffer()), png);
    const thumb = await fetch(image.thumbnailUrl);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers.get("content-type"), "image/webp");

    const list = await t.gql<{ images: { edges: { node: { id: string } }[] } }>(
      `query($d: ID!) { images(datasetId: $d) { edges { node { id } } } }`,
      { d: datasetId },
      t.users.VIEWER,
    );
    assert.ok(list.data!.images.edges.some((e) => e.node.id === image.id));
    assert.deepEqual(
      await keys(`staging/${ticket.uploadId}`),
      [],
      "the staging object goes once confirmed",
    );
    const audit = await t.db.prisma.auditEvent.findFirst({
      where: { action: "image.confirmUpload", entityId: image.id },
    });
    assert.ok(audit);

    const again = await t.gql<{
      requestUpload: { uploadId: string | null; duplicateOf: { id: string } };
    }>(
      REQUEST,
      {
        d: datasetId,
        i: { filename: "copy.png", sha256: sha(png), bytes: png.length, mimeType: "image/png" },
      },
      t.users.CURATOR,
    );
    assert.equal(again.data!.requestUpload.uploadId, null);
    assert.equal(again.data!.requestUpload.duplicateOf.id, image.id);
  });

  test("two uploads of the same file confirmed at once make one row", async () => {
    const png = await makePng(40, 40, 8);
    const [a, b] = [await stage(png), await stage(png)];
    const [ra, rb] = await Promise.all([confirm(a), confirm(b)]);
    assert.equal(ra.errors, undefined, JSON.stringify(ra.errors));
    assert.equal(rb.errors, undefined, JSON.stringify(rb.errors));
    assert.deepEqual([ra.data!.confirmUpload.duplicate, rb.data!.confirmUpload.duplicate].sort(), [
      false,
      true,
    ]);
    assert.equal(ra.data!.confirmUpload.image.id, rb.data!.confirmUpload.image.id);
    assert.equal(await t.db.prisma.image.count({ where: { datasetId, sha256: sha(png) } }), 1);
  });

  test("the same bytes in two datasets share one object, which survives deleting one of them", async () => {
    const png = await makePng(30, 30, 9);
    for (const d of [datasetId, otherDatasetId])
      assert.equal(
        (await confirm(await stage(png, { dataset: d }), t.users.CURATOR, d)).errors,
        undefined,
      );
    const objects = (await keys("images/")).filter((k) => k.includes(sha(png)));
    assert.equal(objects.length, 1);
    const [inOther] = await t.db.prisma.image.findMany({
      where: { datasetId: otherDatasetId, sha256: sha(png) },
    });
    const deleted = await t.gql(
      `mutation($ids: [ID!]!) { deleteImages(imageIds: $ids) }`,
      { ids: [inOther!.id] },
      t.users.CURATOR,
    );
    assert.equal(deleted.errors, undefined);
    assert.deepEqual(
      (await keys("images/")).filter((k) => k.includes(sha(png))),
      objects,
      "still used by the first dataset",
    );
  });
});

describe("addImageFromBuffer", () => {
  test("adds an image with its boxes and counts them", async () => {
    const deps = { prisma: t.db.prisma, storage: t.storage, config: t.config };
    const { image, duplicate } = await addImageFromBuffer(deps, {
      datasetId,
      buffer: await makePng(100, 80, 10),
      filename: "seeded.png",
      split: "TRAIN",
      tags: [" Fog", "fog", "Night "],
      annotations: [
        { className: "broken", box: { x: 1, y: 1, width: 20, height: 20 } },
        { className: "broken", box: { x: 30, y: 10, width: 20, height: 20 } },
        { className: "flashover", box: { x: 50, y: 40, width: 40, height: 30 } },
      ],
      actor: null,
    });
    assert.equal(duplicate, false);
    assert.deepEqual(image.tags, ["fog", "night"]);
    const counters = (await readCounters(t.db.prisma, datasetId)).filter(
      (c) => c.split === "TRAIN",
    );
    assert.deepEqual(counters.map((c) => [c.images, c.boxes]).sort(), [
      [1, 1],
      [1, 2],
    ]);
  });

  test("refuses bad boxes, unknown classes and bad bytes before storing anything", async () => {
    const deps = { prisma: t.db.prisma, storage: t.storage, config: t.config };
    const png = await makePng(50, 50, 11);
    const before = await t.db.prisma.image.count();
    await assert.rejects(
      addImageFromBuffer(deps, {
        datasetId,
        buffer: png,
        filename: "x.png",
        annotations: [{ className: "broken", box: { x: 40, y: 40, width: 20, height: 5 } }],
        actor: null,
      }),
      (e: Error & { code?: string; extensions?: Record<string, unknown> }) =>
        e.code === "BAD_USER_INPUT" &&
        e.extensions?.reason === "INVALID_BOX" &&
        /not inside/.test(e.message),
    );
    await assert.rejects(
      addImageFromBuffer(deps, {
        datasetId,
        buffer: png,
        filename: "x.png",
        annotations: [{ className: "no-such", box: { x: 1, y: 1, width: 5, height: 5 } }],
        actor: null,
      }),
      (e: Error & { extensions?: Record<string, unknown> }) =>
        e.extensions?.reason === "UNKNOWN_CLASS",
    );
    await assert.rejects(
      addImageFromBuffer(deps, {
        datasetId,
        buffer: textFileAsPng(),
        filename: "x.png",
        actor: null,
      }),
      (e: Error & { extensions?: Record<string, unknown> }) =>
        e.extensions?.reason === "NOT_AN_IMAGE",
    );
    assert.equal(await t.db.prisma.image.count(), before);
    assert.deepEqual(
      (await keys("images/")).filter((k) => k.includes(sha(png))),
      [],
    );
  });
});

describe("expired uploads", () => {
  test("the sweep removes intents that expired unconfirmed, with their staging objects", async () => {
    const png = await makePng(24, 24, 77);
    const ticket = await stage(png);
    await t.db.prisma.uploadIntent.update({
      where: { id: ticket.uploadId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const swept = await sweepExpiredUploads({
      prisma: t.db.prisma,
      storage: t.storage,
      config: t.config,
    });
    assert.ok(swept >= 1);
    await assertLeftNothing(ticket, png);
  });
});
