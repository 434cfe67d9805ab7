// onnxruntime-node generator throughput (images/s) at batch 1 and 8 on the CPU provider, for the
// fixture model and, when present, the mvsa-gan demo model. From the repository root:
//   node --import tsx packages/generator/bench/generate.ts [--threads N] [--seconds S] [--provider cpu|cuda]
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { SessionPool, generateBatch, planSample, type GenerateItem } from "../src/index.ts";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const threads = Number(arg("threads", "0")) || undefined;
const seconds = Number(arg("seconds", "5"));
const provider = arg("provider", "cpu") as "cpu" | "cuda";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const models = [
  { name: "fixture (32 px, untrained)", dir: here("../fixtures/") },
  { name: "mvsa-gan demo", dir: here("../../mvsa-gan/models/demo/") },
];

console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} ×${os.availableParallelism()}, intraOpNumThreads ${threads ?? "default"}, provider ${provider}`,
);
for (const m of models) {
  const gen = `${m.dir}generator.onnx`;
  if (!existsSync(gen)) {
    console.log(`${m.name}: no model at ${gen}`);
    continue;
  }
  const pool = await SessionPool.create(
    { generator: readFileSync(gen) },
    { executionProvider: provider, intraOpNumThreads: threads },
  );
  const { imageSize: s, shots: k, gridSize: g, fusedPositions: n } = pool.meta;
  const candidates = Array.from({ length: 16 }, (_, i) => `ref-${i}`);
  const shot = Float32Array.from({ length: 3 * s * s }, (_, i) => Math.sin(i * 0.013));
  const items = (b: number, off: number): GenerateItem[] =>
    Array.from({ length: b }, (_, i) => {
      const plan = planSample({
        requestSeed: 1n,
        index: off + i,
        candidates,
        shots: k,
        gridCells: g * g,
        fusedPositions: n,
      });
      return { plan, shots: plan.referenceIds.map(() => shot) };
    });
  const row: string[] = [];
  for (const b of [1, 8]) {
    for (const png of [false, true]) {
      await generateBatch(pool, items(b, 0), { maxBatch: b, png }); // warm-up
      // Five windows; median and best, since shared machines make single runs noisy.
      const rates: number[] = [];
      for (let w = 0; w < 5; w++) {
        let done = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < (seconds * 1000) / 5) {
          await generateBatch(pool, items(b, done), { maxBatch: b, png });
          done += b;
        }
        rates.push(done / ((performance.now() - t0) / 1000));
      }
      rates.sort((x, y) => x - y);
      row.push(
        `batch ${b}${png ? " +PNG" : ""}: ${rates[2]!.toFixed(1)} (best ${rates[4]!.toFixed(1)}) img/s`,
      );
    }
  }
  console.log(
    `${m.name} [${s} px, K=${k}, grid ${g}, N=${n}, ${pool.executionProvider}]: ${row.join(", ")}`,
  );
  await pool.release();
}
