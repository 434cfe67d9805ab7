import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { makeJpeg, makePng } from "./fixtures.ts";
import {
  imageKey,
  ObjectNotFoundError,
  ObjectTooLargeError,
  thumbnailKey,
  type Storage,
} from "./storage.ts";
import { startTestStorage, type TestStorage } from "./test-helpers.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("Storage", () => {
  let t: TestStorage;
  let s: Storage;
  before(async () => {
    t = await startTestStorage();
    s = t.storage;
    await s.ensureBuckets();
  });
  after(() => t.close());

  test("key layout", () => {
    const h = "ab".repeat(32);
    assert.equal(imageKey(h, "PNG"), `images/ab/ab/${h}.png`);
    assert.equal(imageKey(h, ".jpg"), `images/ab/ab/${h}.jpg`);
    assert.equal(thumbnailKey(h, 256), `thumbnails/256/ab/ab/${h}.webp`);
    assert.throws(() => imageKey("AB".repeat(32), "png"), /SHA-256/);
    assert.throws(() => imageKey(h, "p/ng"), /extension/);
    assert.throws(() => thumbnailKey(h, 4), /size/);
  });

  test("ensureBuckets is idempotent", async () => {
    await s.ensureBuckets();
    await Promise.all([s.ensureBuckets(), s.ensureBuckets()]);
    for (const b of ["images", "models", "exports"] as const) {
      assert.equal(await s.client.bucketExists(s.bucketName(b)), true);
    }
  });

  test("put, stat, getBuffer, remove", async () => {
    const body = Buffer.from("model weights");
    const { etag } = await s.put("models", "runs/1/weights.bin", body, {
      contentType: "application/octet-stream",
    });
    const st = await s.stat("models", "runs/1/weights.bin");
    assert.ok(st);
    assert.equal(st.size, body.length);
    assert.equal(st.etag, etag);
    assert.equal(st.contentType, "application/octet-stream");
    assert.deepEqual(await s.getBuffer("models", "runs/1/weights.bin", { maxBytes: 100 }), body);
    await assert.rejects(
      s.getBuffer("models", "runs/1/weights.bin", { maxBytes: 5 }),
      ObjectTooLargeError,
    );
    await s.remove("models", "runs/1/weights.bin");
    assert.equal(await s.stat("models", "runs/1/weights.bin"), null);
    await s.remove("models", "runs/1/weights.bin"); // idempotent
    await assert.rejects(s.getStream("models", "runs/1/weights.bin"), ObjectNotFoundError);
    await assert.rejects(s.getBuffer("models", "missing", { maxBytes: 5 }), ObjectNotFoundError);
  });

  test("put from a stream of unknown size, sha256Of, listKeys, removeMany", async () => {
    const parts = [Buffer.from("a,b\n"), Buffer.from("1,2\n")];
    await s.put("exports", "e/1/data.csv", Readable.from(parts), { contentType: "text/csv" });
    await s.put("exports", "e/1/meta.json", Buffer.from("{}"), { contentType: "application/json" });
    await s.put("exports", "e/2/data.csv", Buffer.from("x"), { contentType: "text/csv" });
    assert.equal(await s.sha256Of("exports", "e/1/data.csv"), sha(Buffer.concat(parts)));
    const keys: string[] = [];
    for await (const k of s.listKeys("exports", "e/1/")) keys.push(k);
    assert.deepEqual(keys, ["e/1/data.csv", "e/1/meta.json"]);
    await s.removeMany("exports", ["e/1/data.csv", "e/1/meta.json", "e/1/never-existed"]);
    const left: string[] = [];
    for await (const k of s.listKeys("exports", "e/")) left.push(k);
    assert.deepEqual(left, ["e/2/data.csv"]);
  });

  test("removeMany of many sibling keys", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `many/a/b/${i}.txt`);
    await Promise.all(
      keys.map((k) => s.put("exports", k, Buffer.from(k), { contentType: "text/plain" })),
    );
    await s.removeMany("exports", keys);
    const left: string[] = [];
    for await (const k of s.listKeys("exports", "many/")) left.push(k);
    assert.deepEqual(left, []);
  });

  test("rejects unsafe keys and unknown buckets", async () => {
    await assert.rejects(s.stat("images", "../etc/passwd"), /Invalid object key/);
    await assert.rejects(s.stat("images", "/abs"), /Invalid object key/);
    await assert.rejects(s.stat("images", "a b"), /Invalid object key/);
    await assert.rejects(s.stat("nope" as never, "a"), /Unknown bucket/);
  });

  test("presigned PUT via fetch, then stat and sha256 match", async () => {
    const png = await makePng(40, 30, 11);
    const key = imageKey(sha(png), "png");
    const req = await s.presignPut("images", key, { contentType: "image/png", ttl: 60 });
    assert.equal(req.method, "PUT");
    const res = await fetch(req.url, {
      method: "PUT",
      headers: req.headers,
      body: new Uint8Array(png),
    });
    assert.equal(res.status, 200, await res.text());
    const st = await s.stat("images", key);
    assert.equal(st?.size, png.length);
    assert.equal(st?.contentType, "image/png");
    assert.equal(await s.sha256Of("images", key), sha(png));
  });

  test("presigned URLs signed for a public endpoint reach the same server under that name", async () => {
    const endpoint = new URL(s.config.endPoint);
    if (endpoint.hostname !== "127.0.0.1") return; // the alias below needs a loopback server
    const { Storage: StorageClass } = await import("./storage.ts");
    const publicEndPoint = `http://localhost:${endpoint.port}`;
    const browserFacing = new StorageClass({ ...s.config, publicEndPoint });
    const body = Buffer.from("seen by a browser");
    await s.put("exports", "public/alias.txt", body, { contentType: "text/plain" });
    const req = await browserFacing.presignGet("exports", "public/alias.txt", { ttl: 60 });
    assert.equal(new URL(req.url).host, `localhost:${endpoint.port}`);
    const res = await fetch(req.url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);
  });

  test("presigned GET via fetch returns the bytes, with optional download name", async () => {
    const body = Buffer.from("exported dataset");
    await s.put("exports", "x/ds.zip", body, { contentType: "application/zip" });
    const plain = await s.presignGet("exports", "x/ds.zip");
    const res = await fetch(plain.url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);
    const named = await s.presignGet("exports", "x/ds.zip", { filename: 'Linienmast "A".zip' });
    const res2 = await fetch(named.url);
    assert.equal(res2.status, 200);
    await res2.arrayBuffer();
    assert.match(
      res2.headers.get("content-disposition") ?? "",
      /^attachment; filename="Linienmast _A_.zip"/,
    );
  });

  test("presign TTL is clamped to the configured maximum", async () => {
    const long = await s.presignGet("exports", "x/ds.zip", { ttl: 999_999 });
    assert.equal(
      new URL(long.url).searchParams.get("X-Amz-Expires"),
      String(s.config.presignTtlSeconds),
    );
    const short = await s.presignPut("images", "tmp/a.png", { contentType: "image/png", ttl: 1 });
    assert.equal(new URL(short.url).searchParams.get("X-Amz-Expires"), "1");
  });

  test("expired presigned URLs are refused", async () => {
    await s.put("exports", "x/expiring.txt", Buffer.from("soon gone"), {
      contentType: "text/plain",
    });
    const get = await s.presignGet("exports", "x/expiring.txt", { ttl: 1 });
    const put = await s.presignPut("exports", "x/expiring-put.txt", {
      contentType: "text/plain",
      ttl: 1,
    });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(get.url);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /AccessDenied|expired/i);
    const res2 = await fetch(put.url, { method: "PUT", headers: put.headers, body: "x" });
    assert.equal(res2.status, 403);
    await res2.arrayBuffer();
    assert.equal(await s.stat("exports", "x/expiring-put.txt"), null);
  });

  test("tampered presigned URL is refused", async () => {
    const put = await s.presignPut("images", "tmp/legit.png", { contentType: "image/png" });
    const other = put.url.replace("tmp/legit.png", "tmp/other.png");
    const res = await fetch(other, { method: "PUT", headers: put.headers, body: "x" });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /SignatureDoesNotMatch/);
  });

  test("a presigned PUT bound to a size refuses any other body length", async () => {
    const put = await s.presignPut("images", "tmp/sized.png", {
      contentType: "image/png",
      contentLength: 137,
    });
    for (const size of [80 << 20, 136]) {
      const res = await fetch(put.url, {
        method: "PUT",
        headers: put.headers,
        body: Buffer.alloc(size, 1),
      });
      assert.equal(res.status, 403, `${size} bytes on a 137-byte ticket`);
      await res.arrayBuffer();
    }
    assert.equal(await s.stat("images", "tmp/sized.png"), null, "nothing was stored");
    const res = await fetch(put.url, {
      method: "PUT",
      headers: put.headers,
      body: Buffer.alloc(137, 1),
    });
    assert.equal(res.status, 200);
    assert.equal((await s.stat("images", "tmp/sized.png"))?.size, 137);
    await assert.rejects(
      s.presignPut("images", "tmp/x.png", { contentType: "image/png", contentLength: -1 }),
      RangeError,
    );
  });

  test("thumbnail is rendered once, cached, and concurrent calls coalesce", async () => {
    const jpeg = await makeJpeg(600, 300, 4);
    const h = sha(jpeg);
    const src = imageKey(h, "jpg");
    await s.put("images", src, jpeg, { contentType: "image/jpeg" });
    const originalPut = s.put.bind(s);
    let puts = 0;
    s.put = (async (...args: Parameters<Storage["put"]>) => {
      puts++;
      return originalPut(...args);
    }) as Storage["put"];
    try {
      const [a, b, c] = await Promise.all([
        s.thumbnail(h, src),
        s.thumbnail(h, src),
        s.thumbnail(h, src),
      ]);
      assert.equal(puts, 1);
      assert.equal(a, b);
      assert.equal(b, c);
      assert.equal(a.generated, true);
      assert.equal(a.key, thumbnailKey(h, 256));
      const st1 = await s.stat("images", a.key);
      assert.equal(st1?.contentType, "image/webp");
      const again = await s.thumbnail(h, src);
      assert.equal(again.generated, false);
      assert.equal(puts, 1);
      const st2 = await s.stat("images", a.key);
      assert.equal(st2?.etag, st1?.etag);
      const meta = await sharp(await s.getBuffer("images", a.key, { maxBytes: 1e6 })).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 256, 128]);
      const small = await s.thumbnail(h, src, 64);
      assert.equal(small.generated, true);
      assert.equal(puts, 2);
    } finally {
      s.put = originalPut;
    }
  });

  test("thumbnail of a missing source fails clearly", async () => {
    await assert.rejects(
      s.thumbnail("cd".repeat(32), imageKey("cd".repeat(32), "png")),
      ObjectNotFoundError,
    );
  });
});
