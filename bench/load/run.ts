// Load on the embedded default: many console users at once, each alternating the class balance and
// a 50-image page of the image grid with thumbnail URLs, through the console's /graphql proxy.
//
//   node --import tsx bench/load/run.ts [--clients 20,200] [--seconds 30] [--via console|api]
//                                      [--no-thumbnails] [--json FILE]
//
// Runs `gridfill start` (embedded PostgreSQL, S3 server, MQTT broker, API, worker and console, with
// the demo) in a throwaway data directory, signs in as the demo admin, and runs each client count
// for the given time, one after the other, against the same platform. Prints requests per second,
// latency percentiles and errors for each. `--via api` skips the console's proxy.
import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuSeconds, cpuTicks } from "./cpu.ts";
import { runClients, sequentialLatency, type LoadResult, type Operation } from "./clients.ts";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "20,200" },
    seconds: { type: "string", default: "30" },
    via: { type: "string", default: "console" },
    "no-thumbnails": { type: "boolean", default: false },
    json: { type: "string" },
    "profile-calls": { type: "string", default: "100" },
  },
});
const clientCounts = args.clients.split(",").map(Number);
const seconds = Number(args.seconds);
const thumbnails = !args["no-thumbnails"];
const webPort = process.env.WEB_PORT ?? "3990";
const apiPort = process.env.PORT ?? "4990";

// The platform runs as `gridfill start` does, in its own process: the clients here must not share
// the API's event loop.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "gridfill-load-"));
// The embedded PostgreSQL runs as the postgres user when this runs as root: it must enter the folder.
await chmod(dataDir, 0o755);
const gridfill = path.resolve(import.meta.dirname, "../../apps/cli/bin/gridfill.js");
const child = spawn(process.execPath, [gridfill, "start", "--data-dir", dataDir], {
  env: { ...process.env, PORT: apiPort, WEB_PORT: webPort, GRIDFILL_LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
let banner = "";
child.stdout.on("data", (chunk: Buffer) => (banner += chunk.toString()));
const exited = new Promise((resolve) => child.on("exit", resolve));

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gridfill start exited:\n${banner.slice(-2000)}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}:\n${banner.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

try {
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const base = args.via === "console" ? `http://127.0.0.1:${webPort}` : apiUrl;
  await waitFor(`${apiUrl}/healthz`);
  await waitFor(`http://127.0.0.1:${webPort}/login`);
  const credentialsText = await readFile(path.join(dataDir, "demo-credentials.txt"), "utf8");
  const credentials = {
    email: credentialsText.match(/^email: (.+)$/m)![1]!,
    password: credentialsText.match(/^password: (.+)$/m)![1]!,
  };
  const signIn = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id } } }`,
      variables: { e: credentials.email, p: credentials.password },
    }),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  const datasets = (await (
    await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ query: `{ datasets { edges { node { id imageCount } } } }` }),
    })
  ).json()) as { data: { datasets: { edges: { node: { id: string; imageCount: number } }[] } } };
  const dataset = datasets.data.datasets.edges[0]!.node;
  console.log(
    `platform up: ${base} (${args.via}), dataset ${dataset.id} with ${dataset.imageCount} images`,
  );

  // Where one request's time goes: each operation alone, through the console and straight to the
  // API (the proxy's share), with and without the 50 presigned thumbnail URLs.
  const profile: Record<string, { p50Ms: number; p95Ms: number; meanMs: number }> = {};
  const calls = Number(args["profile-calls"]);
  if (calls > 0) {
    const apiCookie = cookie;
    for (const operation of ["balance", "images", "images-no-thumbnails"] as Operation[]) {
      for (const [via, url] of [
        ["console", `http://127.0.0.1:${webPort}/graphql`],
        ["api", `${apiUrl}/graphql`],
      ] as const) {
        const latency = await sequentialLatency(url, apiCookie, dataset.id, operation, calls);
        profile[`${operation} via ${via}`] = latency;
        console.log(
          `one client, ${operation} via ${via}: p50 ${latency.p50Ms.toFixed(1)} ms, p95 ${latency.p95Ms.toFixed(1)} ms, mean ${latency.meanMs.toFixed(1)} ms`,
        );
      }
    }
  }

  const results: LoadResult[] = [];
  for (const clients of clientCounts) {
    const before = cpuTicks(child.pid!);
    const ownBefore = process.cpuUsage();
    const result = await runClients({
      url: `${base}/graphql`,
      cookie,
      datasetId: dataset.id,
      clients,
      seconds,
      thumbnails,
    });
    const own = process.cpuUsage(ownBefore);
    const cpu = {
      ...cpuSeconds(before, cpuTicks(child.pid!)),
      "load generator": (own.user + own.system) / 1e6,
    };
    results.push({ ...result, cpu } as LoadResult);
    console.log(
      `  CPU seconds: ${Object.entries(cpu)
        .filter(([, seconds]) => seconds >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
        .join(", ")}`,
    );
    console.log(
      `${String(clients).padStart(4)} clients: ${result.requests} requests in ${result.seconds.toFixed(1)} s = ` +
        `${result.perSecond.toFixed(1)}/s, p50 ${result.p50Ms.toFixed(0)} ms, p95 ${result.p95Ms.toFixed(0)} ms, ` +
        `p99 ${result.p99Ms.toFixed(0)} ms, errors ${result.errors}` +
        (result.firstError ? ` (first: ${result.firstError})` : ""),
    );
  }
  console.log(
    `load average (1, 5, 15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}`,
  );
  if (results.length >= 2) {
    const [low, high] = [results[0]!, results.at(-1)!];
    console.log(
      `throughput at ${high.clients} clients is ${((100 * high.perSecond) / low.perSecond).toFixed(0)} % of ${low.clients}`,
    );
  }
  if (args.json)
    await writeFile(
      args.json,
      JSON.stringify(
        { via: args.via, thumbnails, seconds, results, profile, loadAverage: os.loadavg() },
        null,
        2,
      ),
    );
} finally {
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
  await rm(dataDir, { recursive: true, force: true });
}
