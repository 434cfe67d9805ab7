// onnxruntime session options on the demo generator: graph optimisation levels, parallel
// execution, and spinning against non-spinning idle threads. Prints images/s per variant.
//
//   node --import tsx bench/generate/ort-options.ts [--batch 8] [--seconds 4]
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";

const { values: args } = parseArgs({
  options: { batch: { type: "string", default: "8" }, seconds: { type: "string", default: "4" } },
});
const model = new URL("../../packages/mvsa-gan/models/demo/generator.onnx", import.meta.url)
  .pathname;
const b = Number(args.batch);
const [K, S, N, G] = [3, 64, 32, 8];
const images = new Float32Array(b * K * 3 * S * S).map(() => Math.random() * 2 - 1);
const positions = new BigInt64Array(b * N);
for (let i = 0; i < b; i++)
  for (let j = 0; j < N; j++) positions[i * N + j] = BigInt((j * 2 + i) % (G * G));
const feeds = {
  images: new ort.Tensor("float32", images, [b, K, 3, S, S]),
  coefficients: new ort.Tensor("float32", new Float32Array(b * K).fill(1 / K), [b, K]),
  positions: new ort.Tensor("int64", positions, [b, N]),
};
const noSpin = {
  session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } },
};
const base = { executionProviders: ["cpu"], intraOpNumThreads: 2, interOpNumThreads: 1 };
const variants: [string, Record<string, unknown>][] = [
  ["all, spinning", { ...base, graphOptimizationLevel: "all" }],
  ["all", { ...base, graphOptimizationLevel: "all", extra: noSpin }],
  ["extended", { ...base, graphOptimizationLevel: "extended", extra: noSpin }],
  ["basic", { ...base, graphOptimizationLevel: "basic", extra: noSpin }],
  [
    "all, parallel",
    {
      ...base,
      graphOptimizationLevel: "all",
      interOpNumThreads: 2,
      executionMode: "parallel",
      extra: noSpin,
    },
  ],
];
for (const [name, options] of variants) {
  const session = await ort.InferenceSession.create(
    model,
    options as ort.InferenceSession.SessionOptions,
  );
  await session.run(feeds);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < Number(args.seconds) * 1000) {
    await session.run(feeds);
    n += b;
  }
  process.stdout.write(
    `${name.padEnd(16)} ${(n / ((performance.now() - t0) / 1000)).toFixed(1)} images/s (batch ${b})\n`,
  );
  await session.release();
}
