import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import sharp from "sharp";
import { describeDetector } from "./detector-contract.ts";
import { decodeYoloHead, Detector, nonMaximumSuppression } from "./detector.ts";
import { GeneratorError } from "./errors.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

/** A 64×48 image of one grey level (the fixtures' first score is the mean intensity). */
const grey = (level: number) =>
  sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: level, g: level, b: level } },
  })
    .png()
    .toBuffer();

test("both heads meet the contract; its description names the classes and input size", () => {
  const nms = describeDetector(fixture("detector-nms.onnx"));
  assert.deepEqual(
    [nms.head, nms.height, nms.width, nms.normalization, nms.classNames],
    ["nms", 32, 32, "0-1", ["insulator", "nest"]],
  );
  assert.equal(describeDetector(fixture("detector-yolo.onnx")).head, "yolo");
});

test("a generator, a truncated file and random bytes are refused with a code", () => {
  assert.throws(
    () => describeDetector(fixture("generator.onnx")),
    (e: GeneratorError) => e.code === "CONTRACT_MISMATCH",
  );
  const bytes = fixture("detector-nms.onnx");
  assert.throws(
    () => describeDetector(bytes.subarray(0, bytes.length - 40)),
    (e: GeneratorError) => e.code === "CORRUPT_MODEL" || e.code === "CONTRACT_MISMATCH",
  );
  assert.throws(() => describeDetector(Buffer.from("not a model at all")), GeneratorError);
});

test("an NMS head's boxes come back in the image's pixels, scored from the image", async () => {
  const detector = await Detector.load(fixture("detector-nms.onnx"));
  try {
    const found = await detector.detect(await grey(51)); // 51 / 255 = 0.2
    assert.equal(found.length, 2);
    assert.ok(Math.abs(found[0]!.score - 0.2) < 1e-6, `score ${found[0]!.score}`);
    // Box [4, 4, 12, 20] of the 32×32 input, scaled by 64/32 and 48/32.
    assert.deepEqual([found[0]!.x, found[0]!.y, found[0]!.width, found[0]!.height], [8, 6, 16, 24]);
    assert.equal(found[1]!.classIndex, 1);
    assert.equal((await detector.detect(await grey(51), { minScore: 0.3 })).length, 0);
  } finally {
    await detector.release();
  }
});

test("a YOLO head is decoded and suppressed per class in TypeScript", async () => {
  const detector = await Detector.load(fixture("detector-yolo.onnx"));
  try {
    const found = await detector.detect(await grey(10));
    assert.deepEqual(
      found.map((d) => [d.classIndex, Number(d.score.toFixed(2))]),
      [
        [0, 0.9],
        [1, 0.8],
      ],
    );
  } finally {
    await detector.release();
  }
  const head = new Float32Array([10, 20, 4, 4, 0.5, 0.6]);
  assert.deepEqual(decodeYoloHead(head, 2, 1, 0.1)[0], {
    classIndex: 1,
    score: head[5],
    x1: 8,
    y1: 18,
    x2: 12,
    y2: 22,
  });
  const overlapping = [
    { classIndex: 0, score: 0.5, x1: 0, y1: 0, x2: 10, y2: 10 },
    { classIndex: 0, score: 0.9, x1: 1, y1: 0, x2: 11, y2: 10 },
    { classIndex: 1, score: 0.4, x1: 0, y1: 0, x2: 10, y2: 10 },
  ];
  assert.deepEqual(
    nonMaximumSuppression(overlapping, 0.5, 10).map((c) => c.score),
    [0.9, 0.4],
  );
});
