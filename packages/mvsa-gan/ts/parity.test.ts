// PyTorch vs onnxruntime-node parity for every exported MVSA-GAN model that ships a fixture.
// Fixture folders: models/demo (the committed demo) and, when set, $MVSA_FIXTURE_DIR.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readFixture } from "./fixture.ts";
import { replay } from "./replay.ts";

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const dirs = [
  join(pkg, "models", "demo"),
  ...(process.env.MVSA_FIXTURE_DIR ? [process.env.MVSA_FIXTURE_DIR] : []),
];

for (const dir of dirs) {
  const fixture = join(dir, "parity.json");
  test(`onnx parity: ${dir}`, async (t) => {
    if (!existsSync(fixture)) return t.skip(`no fixture at ${fixture}`);
    const missing = readFixture(fixture)
      .cases.map((c) => c.model)
      .filter((m) => !existsSync(join(dir, m)));
    if (missing.length) return t.skip(`model files missing: ${missing.join(", ")}`);
    try {
      await import("onnxruntime-node");
    } catch {
      return t.skip("onnxruntime-node is not installed");
    }
    const tol = readFixture(fixture).tolerance;
    const diffs = await replay(fixture);
    assert.ok(Object.keys(diffs).length > 0, "fixture has no outputs");
    for (const [name, d] of Object.entries(diffs))
      assert.ok(d <= tol, `${name}: max abs diff ${d} > ${tol}`);
  });
}
