// Runs the Next.js console as a child process: `next start` on a production build, building it
// first when the build is missing or older than the console's sources.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
export const webDir = path.resolve(import.meta.dirname, "../../web");
const nextBin = () => require.resolve("next/dist/bin/next", { paths: [webDir] });

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Only what goes into the build: not outputs, tests, or files the build itself rewrites.
    if (
      ["node_modules", ".next", "e2e", "test-results", "next-env.d.ts", "README.md"].includes(
        entry.name,
      )
    )
      continue;
    if (entry.name.endsWith(".tsbuildinfo")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs,
    );
  }
  return newest;
}

export function webBuildIsCurrent(): boolean {
  const buildId = path.join(webDir, ".next", "BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceTime(webDir);
}

function run(args: string[], env: NodeJS.ProcessEnv, stdio: "inherit" | "pipe"): ChildProcess {
  return spawn(process.execPath, [nextBin(), ...args], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
  });
}

/** Builds the console unless a current build exists. */
export async function ensureWebBuild(log: (line: string) => void): Promise<void> {
  if (webBuildIsCurrent()) return;
  log("Building the console (first start only; this takes a minute or two)…");
  const child = run(["build"], {}, "pipe");
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`the console build failed:\n${output.slice(-4000)}`);
}

export type WebServer = { url: string; stop(): Promise<void> };

export async function startWeb(options: {
  host: string;
  port: number;
  apiUrl: string;
}): Promise<WebServer> {
  // server.mjs: `next start` behind a front that puts the connection's address in
  // X-Forwarded-For (the API limits sign-ins per client address).
  const child = spawn(
    process.execPath,
    [path.join(webDir, "server.mjs"), "--hostname", options.host, "--port", String(options.port)],
    {
      cwd: webDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", GRIDFILL_API_URL: options.apiUrl },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(r, 250, "wait"))]);
    if (early !== "wait") throw new Error(`the console exited at start:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/login`, { redirect: "manual" });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the console did not answer within 60 s:\n${output.slice(-4000)}`);
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
