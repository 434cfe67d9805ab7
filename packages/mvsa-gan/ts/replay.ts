// Replays a parity fixture on onnxruntime-node and prints {output: max |expected - actual|} as JSON.
// Exit code 3 when onnxruntime-node is not installed.
import { dirname, join } from "node:path";
import { decode, maxAbsDiff, readFixture } from "./fixture.ts";

export async function replay(fixturePath: string): Promise<Record<string, number>> {
  const ort = await import("onnxruntime-node");
  const fx = readFixture(fixturePath);
  const result: Record<string, number> = {};
  for (const c of fx.cases) {
    const session = await ort.InferenceSession.create(join(dirname(fixturePath), c.model));
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const [name, t] of Object.entries(c.inputs))
      feeds[name] = new ort.Tensor(t.dtype, decode(t), t.shape);
    const out = await session.run(feeds);
    for (const [name, t] of Object.entries(c.outputs)) {
      const got = out[name];
      const same = got.dims.length === t.shape.length && got.dims.every((d, i) => d === t.shape[i]);
      // int64 outputs (detector classes) come back as BigInt64Array: compare as numbers
      result[`${c.model}:${name}`] = same
        ? maxAbsDiff(
            Array.from(got.data as ArrayLike<number | bigint>, Number),
            Array.from(decode(t) as ArrayLike<number | bigint>, Number),
          )
        : Number.POSITIVE_INFINITY;
    }
  }
  return result;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  try {
    await import("onnxruntime-node");
  } catch {
    console.error("onnxruntime-node is not installed");
    process.exit(3);
  }
  console.log(JSON.stringify(await replay(process.argv[2])));
}
