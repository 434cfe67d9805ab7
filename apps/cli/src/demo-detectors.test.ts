// The detectors shipped beside the demo meet the detector contract the worker runs, name the
// demo's classes, and are the files their README names.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { describeDetector } from "@gridfill/generator/detector-contract";
import { DEFECT_CLASSES, INSULATOR_CLASS } from "@gridfill/scenes";

const DIR = path.resolve(import.meta.dirname, "../demo-detectors");
const readme = readFileSync(path.join(DIR, "README.md"), "utf8");

for (const file of readdirSync(DIR).filter((f) => f.endsWith(".onnx"))) {
  test(`the demo detector ${file} meets the detector contract and covers the demo's classes`, () => {
    const bytes = readFileSync(path.join(DIR, file));
    const description = describeDetector(bytes);
    for (const c of [...DEFECT_CLASSES, INSULATOR_CLASS])
      assert.ok(description.classNames.includes(c.name), `${file} detects ${c.name}`);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    assert.match(readme, new RegExp(`\`${file}\`[^\\n]*\`${sha256}\``), `${file} is in the README`);
  });
}
