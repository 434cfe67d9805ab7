// The README's first command, `npm install`, must need nothing but the npm registry. onnxruntime-node's
// install script downloads its CUDA provider from NuGet unless npm config tells it to skip; the
// project's `.npmrc` does. This runs that script the way `npm install` does (through npm, with the
// project's config and no environment of ours) behind a proxy that refuses every connection, so any
// download attempt fails the test instead of reaching the network.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const root = path.resolve(import.meta.dirname, "..");

test("onnxruntime-node's install script downloads nothing on a plain install", () => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_|^ONNXRUNTIME_NODE_INSTALL/i.test(name)) continue; // what a stranger's shell lacks
    env[name] = value;
  }
  env.GLOBAL_AGENT_HTTPS_PROXY = "http://127.0.0.1:9"; // the discard port: nothing answers
  env.GLOBAL_AGENT_HTTP_PROXY = "http://127.0.0.1:9";
  const npm = path.join(path.dirname(process.execPath), "npm");
  const result = spawnSync(
    existsSync(npm) ? npm : "npm",
    ["rebuild", "onnxruntime-node", "--foreground-scripts"],
    {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.status, 0, `npm rebuild onnxruntime-node failed:\n${output}`);
  assert.doesNotMatch(output, /Downloading|nuget/i);
  const bin = path.join(root, "node_modules/onnxruntime-node/bin/napi-v6/linux/x64");
  if (process.platform === "linux" && process.arch === "x64") {
    assert.ok(
      existsSync(path.join(bin, "libonnxruntime.so.1")),
      "the bundled CPU provider is in place",
    );
  }
});
