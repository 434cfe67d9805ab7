import { test } from "node:test";
import assert from "node:assert/strict";
import type * as ort from "onnxruntime-node";
import { GeneratorError } from "./errors.ts";
import { SessionPool, describeModel, loadModelVersion, sha256Hex } from "./model.ts";
import { fixtureCritic, fixtureGenerator } from "./testing.ts";

const generator = fixtureGenerator();
const critic = fixtureCritic();

function fakeStorage(objects: Record<string, Uint8Array>) {
  const reads: string[] = [];
  return {
    reads,
    async getBuffer(bucket: string, key: string): Promise<Buffer> {
      reads.push(`${bucket}/${key}`);
      const o = objects[`${bucket}/${key}`];
      if (!o) throw new Error(`no object ${bucket}/${key}`);
      return Buffer.from(o);
    },
  };
}

test("loadModelVersion: verified bytes load; describe() gives the registry fields", async () => {
  const storage = fakeStorage({
    "models/m/generator.onnx": generator,
    "models/m/critic.onnx": critic,
  });
  const pool = await loadModelVersion({
    storage,
    generatorKey: "m/generator.onnx",
    generatorSha256: sha256Hex(generator).toUpperCase(),
    criticKey: "m/critic.onnx",
    criticSha256: sha256Hex(critic),
    intraOpNumThreads: 1,
    executionProvider: "cpu",
  });
  try {
    assert.equal(pool.executionProvider, "cpu");
    assert.equal(pool.fallbackReason, null);
    assert.equal(pool.maxBatch, 8);
    const d = pool.describe();
    assert.deepEqual(
      [
        d.imageSize,
        d.shots,
        d.fusedPositions,
        d.gridSize,
        d.version,
        d.generatorSha256,
        d.criticSha256,
      ],
      [32, 3, 8, 4, "0.1.0", sha256Hex(generator), sha256Hex(critic)],
    );
    assert.deepEqual(d.classNames, ["broken_damper", "cap", "crack", "nest"]);
    assert.deepEqual(d.criticClassNames, ["cap", "crack", "nest"]);
    assert.match(d.config, /k_shot: 3/);
    assert.deepEqual(describeModel({ generator, critic }), d);
  } finally {
    await pool.release();
  }
});

test("loadModelVersion: a sha256 mismatch is refused before any session is created", async () => {
  const tampered = Buffer.from(generator);
  tampered[tampered.length - 1]! ^= 1;
  const storage = fakeStorage({ "models/g.onnx": tampered, "models/c.onnx": critic });
  let sessions = 0;
  const createSession = async () => {
    sessions++;
    throw new Error("must not be called");
  };
  await assert.rejects(
    loadModelVersion({
      storage,
      generatorKey: "g.onnx",
      generatorSha256: sha256Hex(generator),
      createSession,
    }),
    (e: unknown) =>
      e instanceof GeneratorError &&
      e.code === "SHA256_MISMATCH" &&
      /models\/g\.onnx/.test(e.message),
  );
  const ok = fakeStorage({ "models/g.onnx": generator, "models/c.onnx": critic });
  await assert.rejects(
    loadModelVersion({
      storage: ok,
      generatorKey: "g.onnx",
      generatorSha256: sha256Hex(generator),
      criticKey: "c.onnx",
      criticSha256: "0".repeat(64),
      createSession,
    }),
    (e: unknown) =>
      e instanceof GeneratorError && e.code === "SHA256_MISMATCH" && /critic/.test(e.message),
  );
  assert.equal(sessions, 0);
  await assert.rejects(
    loadModelVersion({
      storage: ok,
      generatorKey: "g.onnx",
      generatorSha256: sha256Hex(generator),
      criticKey: "c.onnx",
    }),
    /criticKey and criticSha256 go together/,
  );
});

test("a corrupt or mismatched model is refused before onnxruntime sees it", async () => {
  let sessions = 0;
  const createSession = async () => {
    sessions++;
    throw new Error("must not be called");
  };
  await assert.rejects(
    SessionPool.create({ generator: generator.subarray(0, 1000) }, { createSession }),
    (e: unknown) => e instanceof GeneratorError && e.code === "CORRUPT_MODEL",
  );
  await assert.rejects(
    SessionPool.create({ generator }, { createSession, need: { shots: 5 } }),
    (e: unknown) => e instanceof GeneratorError && e.code === "CONTRACT_MISMATCH",
  );
  await assert.rejects(
    SessionPool.create({ generator, critic: generator }, { createSession }),
    (e: unknown) =>
      e instanceof GeneratorError && e.code === "CONTRACT_MISMATCH" && /critic/.test(e.message),
  );
  assert.equal(sessions, 0);
});

test("provider: cuda requested but unavailable falls back to cpu, with the reason logged and reported", async (t) => {
  const ortMod = await import("onnxruntime-node");
  const cudaInstalled = ortMod.listSupportedBackends().some((b) => b.name === "cuda" && b.bundled);
  const lines: string[] = [];
  const pool = await SessionPool.create(
    { generator, critic },
    {
      executionProvider: "cuda",
      intraOpNumThreads: 1,
      log: (l) => lines.push(l),
    },
  );
  try {
    assert.equal(pool.requestedProvider, "cuda");
    if (pool.executionProvider === "cuda")
      return t.skip("a CUDA execution provider is available on this machine");
    assert.equal(pool.executionProvider, "cpu");
    assert.ok(!cudaInstalled || pool.fallbackReason);
    assert.match(pool.fallbackReason ?? "", /CUDA execution provider unavailable .*; using CPU/);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /CUDA execution provider unavailable/);
  } finally {
    await pool.release();
  }
});

test("provider: the choice logic (injected sessions)", async () => {
  const seen: string[] = [];
  const fake =
    (fail: boolean) => async (_b: Uint8Array, o: ort.InferenceSession.SessionOptions) => {
      const ep = o.executionProviders?.[0];
      const name = typeof ep === "string" ? ep : (ep?.name ?? "?");
      seen.push(name);
      if (fail && name === "cuda") throw new Error("no GPU");
      return { release: async () => {} } as unknown as ort.InferenceSession;
    };
  const a = await SessionPool.create(
    { generator, critic },
    { executionProvider: "cuda", createSession: fake(false), log: () => {} },
  );
  assert.equal(a.executionProvider, "cuda");
  assert.equal(a.fallbackReason, null);
  assert.deepEqual(seen.splice(0), ["cuda", "cuda"]);
  const b = await SessionPool.create(
    { generator, critic },
    { executionProvider: "cuda", createSession: fake(true), log: () => {} },
  );
  assert.equal(b.executionProvider, "cpu");
  assert.match(b.fallbackReason!, /no GPU/);
  assert.deepEqual(seen.splice(0), ["cuda", "cpu", "cpu"]);
  // The configuration chooses (GRIDFILL_EXECUTION_PROVIDER, validated there); unset is the CPU,
  // whatever the environment says.
  process.env.GRIDFILL_EXECUTION_PROVIDER = "cuda";
  try {
    const c = await SessionPool.create({ generator }, { createSession: fake(false) });
    assert.equal(c.executionProvider, "cpu");
    assert.equal(c.requestedProvider, "cpu");
    assert.deepEqual(seen.splice(0), ["cpu"]);
  } finally {
    delete process.env.GRIDFILL_EXECUTION_PROVIDER;
  }
});

test("the mvsa-gan demo model, when present, meets the contract", async (t) => {
  const dir = new URL("../../mvsa-gan/models/demo/", import.meta.url);
  const { existsSync, readFileSync } = await import("node:fs");
  const g = new URL("generator.onnx", dir);
  const c = new URL("critic.onnx", dir);
  if (!existsSync(g) || !existsSync(c))
    return t.skip("no demo model in packages/mvsa-gan/models/demo");
  const d = describeModel({ generator: readFileSync(g), critic: readFileSync(c) });
  assert.ok(d.imageSize > 0 && d.shots > 0 && d.fusedPositions <= d.gridSize ** 2);
  assert.ok(d.classNames.length > 0);
});
