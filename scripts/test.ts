// `npm test`: every suite of the repository, one after another, ending with one line
// `N passed, N failed` that sums them all. Suites that need something a fresh machine may lack
// (Debian's Chromium, Debian's python3-torch) say so and are skipped when it is absent.
import { spawn } from "node:child_process";
import { existsSync, globSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

type Result = { name: string; passed: number; failed: number; skipped: number; note?: string };
const results: Result[] = [];

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const tee = (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    };
    child.stdout.on("data", tee);
    child.stderr.on("data", tee);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

function nodeTestCounts(output: string) {
  const count = (label: string) => {
    const all = [...output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, "gm"))];
    return Number(all.at(-1)?.[1] ?? 0);
  };
  return {
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped"),
  };
}

async function nodeSuite(
  name: string,
  files: string[],
  env: NodeJS.ProcessEnv = {},
  concurrency = 2,
) {
  if (files.length === 0)
    return results.push({ name, passed: 0, failed: 0, skipped: 0, note: "no tests" });
  console.log(`\n━━ ${name} (${files.length} files)`);
  const { code, output } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-reporter=spec",
      ...files,
    ],
    env,
  );
  const counts = nodeTestCounts(output);
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // the runner itself failed
  results.push({ name, ...counts });
}

const want = (suite: string) => only.length === 0 || only.includes(suite);
const glob = (...patterns: string[]) =>
  patterns
    .flatMap((p) => globSync(p, { cwd: root }))
    .filter((f) => !f.includes("node_modules"))
    .sort();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function pythonHasTorch(): Promise<boolean> {
  if (!existsSync("/usr/bin/python3")) return false;
  const { code } = await new Promise<{ code: number }>((resolve) => {
    const child = spawn("/usr/bin/python3", ["-c", "import torch, onnx, numpy, yaml"], {
      stdio: "ignore",
    });
    child.on("exit", (c) => resolve({ code: c ?? 1 }));
  });
  return code === 0;
}

const needsWeb = want("e2e") || want("unit");
if (needsWeb && existsSync(path.join(root, "apps/web/next.config.ts"))) {
  const { ensureWebBuild } = await import("../apps/cli/src/web.ts");
  await ensureWebBuild((line) => console.log(line));
}

if (want("unit")) {
  await nodeSuite(
    "unit and integration",
    glob(
      "packages/*/src/**/*.test.ts",
      "apps/api/src/**/*.test.ts",
      "apps/worker/src/**/*.test.ts",
      "apps/cli/src/**/*.test.ts",
      "packages/*/ts/**/*.test.ts",
      "apps/web/src/**/*.test.ts",
      "scripts/*.test.ts",
    ),
  );
}

if (want("format")) {
  // One formatting, checked: the repository's own Prettier config over every file it covers.
  console.log("\n━━ format (prettier --check)");
  const prettier = path.join(root, "node_modules/prettier/bin/prettier.cjs");
  const { code } = await run(process.execPath, [prettier, "--check", "--log-level=warn", "."]);
  results.push({
    name: "format",
    passed: code === 0 ? 1 : 0,
    failed: code === 0 ? 0 : 1,
    skipped: 0,
  });
}

if (want("lint")) {
  // The repository's ESLint config over the whole tree (unused code, hooks rules, imports).
  console.log("\n━━ lint (eslint)");
  const eslint = path.join(root, "node_modules/eslint/bin/eslint.js");
  const { code } = await run(process.execPath, [eslint, "--max-warnings=0", "."]);
  results.push({
    name: "lint",
    passed: code === 0 ? 1 : 0,
    failed: code === 0 ? 0 : 1,
    skipped: 0,
  });
}

if (want("model")) {
  const tests = path.join(root, "packages/mvsa-gan/tests");
  if (!existsSync(tests))
    results.push({ name: "model (pytest)", passed: 0, failed: 0, skipped: 0, note: "no tests" });
  else if (!(await pythonHasTorch())) {
    console.log(
      "\n━━ model (pytest): skipped — Debian's python3-torch, python3-onnx, python3-yaml are not installed (apt-get install python3-torch python3-onnx python3-yaml python3-pytest)",
    );
    results.push({
      name: "model (pytest)",
      passed: 0,
      failed: 0,
      skipped: 1,
      note: "python3-torch absent",
    });
  } else {
    console.log("\n━━ model (pytest)");
    const { code, output } = await run(
      "/usr/bin/python3",
      ["-m", "pytest", "-q", "-p", "no:cacheprovider", tests],
      {
        PYTHONPATH: path.join(root, "packages/mvsa-gan"),
      },
    );
    const num = (label: string) => Number(output.match(new RegExp(`(\\d+) ${label}`))?.[1] ?? 0);
    const failed = num("failed") + num("error") + num("errors");
    results.push({
      name: "model (pytest)",
      passed: num("passed"),
      failed: code !== 0 && failed === 0 && num("passed") === 0 ? 1 : failed,
      skipped: num("skipped"),
    });
  }
}

if (want("e2e")) {
  const files = glob("apps/web/e2e/*.e2e.test.ts");
  if (!existsSync("/usr/bin/chromium")) {
    console.log(
      "\n━━ console end-to-end: skipped — Debian's Chromium is not installed (apt-get install chromium)",
    );
    results.push({
      name: "console end-to-end",
      passed: 0,
      failed: 0,
      skipped: files.length,
      note: "chromium absent",
    });
  } else if (files.length > 0) {
    // A whole platform on a fresh database and a throwaway data directory.
    const { loadConfig } = await import("@gridfill/config");
    const { createTestDatabase } = await import("@gridfill/db");
    const { startPlatform } = await import("../apps/cli/src/platform.ts");
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gridfill-e2e-"));
    const email = "e2e-admin@gridfill.test";
    const password = "e2e-password-1234";
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: "0",
      WEB_PORT: String(await freePort()),
      GRIDFILL_DATA_DIR: dataDir,
      GRIDFILL_ADMIN_EMAIL: email,
      GRIDFILL_ADMIN_PASSWORD: password,
      // The demo (dataset, model, towers) as a new user gets it: the fills test works on it.
      GRIDFILL_SEED_DEMO: "true",
    });
    const platform = await startPlatform({ config, web: true, log: (l) => console.log(l) });
    try {
      await nodeSuite(
        "console end-to-end",
        files,
        {
          GRIDFILL_E2E_URL: platform.webUrl,
          GRIDFILL_E2E_API_URL: platform.apiUrl,
          GRIDFILL_E2E_EMAIL: email,
          GRIDFILL_E2E_PASSWORD: password,
        },
        1,
      );
    } finally {
      await platform.stop();
      await db.drop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

console.log("\n━━ summary");
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(24)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.note ? ` (${r.note})` : ""}`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
