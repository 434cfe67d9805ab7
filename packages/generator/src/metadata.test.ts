import { test } from "node:test";
import assert from "node:assert/strict";
import { GeneratorError } from "./errors.ts";
import { checkContract, checkCriticContract, readOnnxInfo } from "./metadata.ts";
import { boxImage, fixtureCritic, fixtureGenerator } from "./testing.ts";

const isCode = (code: string, re?: RegExp) => (e: unknown) =>
  e instanceof GeneratorError && e.code === code && (!re || re.test(e.message));

test("reads metadata and signature of the fixture generator without running it", () => {
  const info = readOnnxInfo(fixtureGenerator());
  assert.equal(info.opsetVersion, 17);
  assert.equal(info.metadata.producer, "gridfill/mvsa-gan");
  assert.deepEqual(
    info.inputs.map((i) => [i.name, i.type]),
    [
      ["images", "float32"],
      ["coefficients", "float32"],
      ["positions", "int64"],
    ],
  );
  assert.deepEqual(info.inputs[0]!.shape, ["batch", 3, 3, 32, 32]);
  assert.deepEqual(info.inputs[2]!.shape, ["batch", 8]);
  assert.deepEqual(
    info.outputs.map((o) => o.name),
    ["image"],
  );
  const meta = checkContract(info, {
    imageSize: 32,
    shots: 3,
    classNames: ["crack", "broken_damper"],
  });
  assert.equal(meta.imageSize, 32);
  assert.equal(meta.shots, 3);
  assert.equal(meta.fusedPositions, 8);
  assert.equal(meta.gridSize, 4);
  assert.deepEqual(meta.classNames, ["broken_damper", "cap", "crack", "nest"]);
  assert.deepEqual(meta.unseenClasses, ["broken_damper"]);
  assert.equal(meta.version, "0.1.0");
  assert.equal(meta.trainingStep, 0);
  assert.match(meta.trainingConfig, /image_size: 32/);
});

test("reads the fixture critic", () => {
  const info = readOnnxInfo(fixtureCritic());
  assert.deepEqual(
    info.outputs.map((o) => o.name),
    ["realism", "class_logits", "features"],
  );
  const meta = checkCriticContract(info, checkContract(readOnnxInfo(fixtureGenerator())));
  assert.deepEqual(meta.classNames, ["cap", "crack", "nest"]);
  assert.equal(meta.imageSize, 32);
});

test("contract: wrong K, wrong size and unknown classes are each reported", () => {
  const info = readOnnxInfo(fixtureGenerator());
  assert.throws(
    () => checkContract(info, { shots: 5 }),
    isCode("CONTRACT_MISMATCH", /K = 3 shots, expected K = 5/),
  );
  assert.throws(
    () => checkContract(info, { imageSize: 64 }),
    isCode("CONTRACT_MISMATCH", /32 px, expected 64 px/),
  );
  assert.throws(
    () => checkContract(info, { classNames: ["crack", "bird_nest"] }),
    isCode("CONTRACT_MISMATCH", /bird_nest/),
  );
  try {
    checkContract(info, { shots: 5, imageSize: 64 });
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof GeneratorError);
    assert.equal(e.problems.length, 2); // every problem at once
  }
});

test("contract: a critic is not a generator (missing inputs), metadata must agree with the graph", () => {
  const critic = readOnnxInfo(fixtureCritic());
  assert.throws(
    () => checkContract(critic),
    isCode("CONTRACT_MISMATCH", /input images is missing.*coefficients is missing/s),
  );
  const info = readOnnxInfo(fixtureGenerator());
  const lying = { ...info, metadata: { ...info.metadata, k_shot: "4" } };
  assert.throws(
    () => checkContract(lying),
    isCode(
      "CONTRACT_MISMATCH",
      /input images is float32 \[batch, 3, 3, 32, 32\], expected float32 \[B, 4, 3, 32, 32\]/,
    ),
  );
  const noMeta = { ...info, metadata: {} };
  assert.throws(() => checkContract(noMeta), isCode("CONTRACT_MISMATCH", /image_size is missing/));
  const badList = { ...info, metadata: { ...info.metadata, class_names: "crack" } };
  assert.throws(
    () => checkContract(badList),
    isCode("CONTRACT_MISMATCH", /class_names is not a JSON list/),
  );
  const int32 = {
    ...info,
    inputs: info.inputs.map((i) => (i.name === "positions" ? { ...i, type: "int32" } : i)),
  };
  assert.throws(() => checkContract(int32), isCode("CONTRACT_MISMATCH", /positions is int32/));
});

test("corrupt, truncated, empty and non-ONNX files are CORRUPT_MODEL", async () => {
  const bytes = fixtureGenerator();
  assert.throws(() => readOnnxInfo(new Uint8Array()), isCode("CORRUPT_MODEL", /empty/));
  assert.throws(() => readOnnxInfo(bytes.subarray(0, bytes.length >> 1)), isCode("CORRUPT_MODEL"));
  assert.throws(() => readOnnxInfo(bytes.subarray(0, bytes.length - 3)), isCode("CORRUPT_MODEL"));
  assert.throws(() => readOnnxInfo(Buffer.from('{"not": "onnx"}\n')), isCode("CORRUPT_MODEL"));
  const png = await boxImage(16, 16, { x: 2, y: 2, width: 4, height: 4 }, [255, 0, 0]);
  assert.throws(() => readOnnxInfo(png), isCode("CORRUPT_MODEL"));
  let rnd = 12345;
  const noise = Uint8Array.from(
    { length: 4096 },
    () => (rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) >>> 24,
  );
  assert.throws(() => readOnnxInfo(noise), isCode("CORRUPT_MODEL"));
});
