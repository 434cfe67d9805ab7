// Generator throughput on onnxruntime-node (CPU). Prints one JSON line: {batch: images_per_s}.
// usage: node --import tsx ort_bench.ts MODEL.onnx K SIZE N_POSITIONS GRID THREADS SECONDS BATCH...
import * as ort from "onnxruntime-node";

const [model, k, size, nPos, grid, threads, seconds, ...batches] = process.argv.slice(2);
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: Number(threads),
  interOpNumThreads: 1,
  executionProviders: ["cpu"],
});

function feeds(b: number): Record<string, ort.Tensor> {
  const K = Number(k),
    S = Number(size),
    N = Number(nPos),
    G = Number(grid);
  const images = new Float32Array(b * K * 3 * S * S).map(() => Math.random() * 2 - 1);
  const coefficients = new Float32Array(b * K).fill(1 / K);
  const positions = new BigInt64Array(b * N);
  for (let i = 0; i < b; i++) {
    const perm = [...Array(G * G).keys()].sort(() => Math.random() - 0.5);
    for (let j = 0; j < N; j++) positions[i * N + j] = BigInt(perm[j]);
  }
  return {
    images: new ort.Tensor("float32", images, [b, K, 3, S, S]),
    coefficients: new ort.Tensor("float32", coefficients, [b, K]),
    positions: new ort.Tensor("int64", positions, [b, N]),
  };
}

const out: Record<string, number> = {};
for (const bs of batches.map(Number)) {
  const f = feeds(bs);
  await session.run(f); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < Number(seconds) * 1000) {
    await session.run(f);
    n += bs;
  }
  out[String(bs)] = n / ((performance.now() - t0) / 1000);
}
console.log(JSON.stringify(out));
