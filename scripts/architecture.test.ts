// The layering the architecture page describes, held by tests: packages never import from apps,
// the domain core has no HTTP/GraphQL server or ONNX runtime, and the API process never loads
// onnxruntime (inference runs in the worker process).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { globSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const root = path.resolve(import.meta.dirname, "..");
const sources = (pattern: string) =>
  globSync(pattern, { cwd: root }).filter((f) => !f.includes("node_modules"));
const importsOf = (file: string) =>
  [
    ...readFileSync(path.join(root, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g),
  ].map((m) => m[1]!);

test("no package imports from an app", () => {
  const offences: string[] = [];
  for (const file of sources("packages/*/src/**/*.ts")) {
    for (const spec of importsOf(file)) {
      const reachesApp = spec.startsWith(".")
        ? path.normalize(path.join(path.dirname(file), spec)).startsWith("apps/")
        : /^@gridfill\/(api|worker|cli|web)(\/|$)/.test(spec);
      if (reachesApp) offences.push(`${file} imports ${spec}`);
    }
  }
  assert.deepEqual(offences, []);
});

test("the domain core imports no HTTP server, GraphQL server, WebSocket or ONNX runtime", () => {
  const forbidden =
    /^(express|@apollo\/|@as-integrations\/|graphql|graphql-ws|ws|onnxruntime-node|@gridfill\/generator$)/;
  const offences = sources("packages/core/src/**/*.ts")
    .filter((f) => !f.endsWith(".test.ts"))
    .flatMap((file) =>
      importsOf(file)
        .filter((s) => forbidden.test(s))
        .map((s) => `${file}: ${s}`),
    );
  assert.deepEqual(offences, []);
});

/** Loads modules in a fresh Node and says whether onnxruntime's shared library got mapped. */
function loadsOnnxRuntime(modules: string[]): boolean {
  const script = `
    for (const m of ${JSON.stringify(modules)}) await import(m);
    const maps = (await import("node:fs")).readFileSync("/proc/self/maps", "utf8");
    console.log(maps.includes("libonnxruntime") ? "ORT" : "NO-ORT");`;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().endsWith("ORT") && !result.stdout.trim().endsWith("NO-ORT");
}

test(
  "the API process never loads the ONNX runtime; the worker does",
  { skip: process.platform !== "linux" },
  () => {
    assert.equal(
      loadsOnnxRuntime(["@gridfill/api", "@gridfill/core", "@gridfill/generator/contract"]),
      false,
    );
    // The check can fail: the worker's modules map the runtime.
    assert.equal(loadsOnnxRuntime(["@gridfill/worker"]), true);
  },
);
