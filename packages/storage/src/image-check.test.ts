import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { inspectImage, type ImageLimits } from "./image-check.ts";
import {
  makeBombPng,
  makeGif,
  makeJpeg,
  makePng,
  makeTruncatedPng,
  makeWebp,
  textFileAsPng,
} from "./fixtures.ts";

const limits: ImageLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxWidth: 10000,
  maxHeight: 10000,
  maxPixels: 50_000_000,
};

test("accepts a good PNG", async () => {
  const r = await inspectImage(await makePng(64, 48), limits);
  assert.equal(r.ok, true);
  assert.ok(r.ok);
  assert.equal(r.width, 64);
  assert.equal(r.height, 48);
  assert.equal(r.format, "png");
  assert.equal(r.mimeType, "image/png");
  assert.equal(r.extension, "png");
});

test("accepts a good JPEG and WebP, also from a stream", async () => {
  const jpeg = await inspectImage(Readable.from([await makeJpeg(30, 20)]), limits);
  assert.ok(jpeg.ok);
  assert.deepEqual(
    [jpeg.width, jpeg.height, jpeg.format, jpeg.mimeType, jpeg.extension],
    [30, 20, "jpeg", "image/jpeg", "jpg"],
  );
  const webp = await inspectImage(await makeWebp(10, 12), limits);
  assert.ok(webp.ok);
  assert.equal(webp.mimeType, "image/webp");
});

test("fixtures are deterministic and seed-dependent", async () => {
  assert.deepEqual(await makePng(8, 8, 5), await makePng(8, 8, 5));
  assert.notDeepEqual(await makePng(8, 8, 5), await makePng(8, 8, 6));
});

test("rejects a text file named .png", async () => {
  const r = await inspectImage(textFileAsPng(), limits);
  assert.deepEqual(r.ok ? null : r.code, "NOT_AN_IMAGE");
  assert.ok(!r.ok && r.message.length > 10);
});

test("rejects an empty file", async () => {
  const r = await inspectImage(Buffer.alloc(0), limits);
  assert.equal(r.ok ? null : r.code, "NOT_AN_IMAGE");
});

test("rejects a truncated PNG and a truncated JPEG", async () => {
  const r = await inspectImage(await makeTruncatedPng(), limits);
  assert.equal(r.ok ? null : r.code, "TRUNCATED");
  const jpeg = await makeJpeg(128, 128);
  const r2 = await inspectImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), limits);
  assert.equal(r2.ok ? null : r2.code, "TRUNCATED");
});

test("rejects a 20000x20000 decompression bomb from its header, quickly", async () => {
  const bomb = makeBombPng();
  assert.ok(bomb.length < 200_000, `bomb is small on disk (${bomb.length} bytes)`);
  const t0 = performance.now();
  const r = await inspectImage(bomb, limits);
  assert.equal(r.ok ? null : r.code, "TOO_LARGE_DIMENSIONS");
  const r2 = await inspectImage(bomb, { ...limits, maxWidth: 30000, maxHeight: 30000 });
  assert.equal(r2.ok ? null : r2.code, "TOO_MANY_PIXELS");
  assert.ok(!r2.ok && /400\.0 megapixels/.test(r2.message), !r2.ok ? r2.message : "");
  assert.ok(performance.now() - t0 < 2000, "no decode happened");
});

test("rejects too many bytes, for buffers and streams", async () => {
  const png = await makePng(64, 64);
  const small = { ...limits, maxBytes: 1000 };
  const r1 = await inspectImage(png, small);
  assert.equal(r1.ok ? null : r1.code, "TOO_MANY_BYTES");
  const r = await inspectImage(Readable.from([png.subarray(0, 800), png.subarray(800)]), small);
  assert.equal(r.ok ? null : r.code, "TOO_MANY_BYTES");
});

test("rejects formats outside the allow-list", async () => {
  const r = await inspectImage(await makeGif(), limits);
  assert.equal(r.ok ? null : r.code, "UNSUPPORTED_FORMAT");
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
  );
  const r2 = await inspectImage(svg, limits);
  assert.ok(!r2.ok && (r2.code === "UNSUPPORTED_FORMAT" || r2.code === "NOT_AN_IMAGE"));
  const r3 = await inspectImage(await makeWebp(), { ...limits, formats: ["png", "jpeg"] });
  assert.equal(r3.ok ? null : r3.code, "UNSUPPORTED_FORMAT");
});
