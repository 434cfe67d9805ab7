// The detector-utility benchmark end to end, with one command: scenes, a long-tailed split, the
// fills made by the platform itself, and the detector trained on every training set.
//
//   node --import tsx bench/utility/platform.ts --out /tmp/utility [--rare bird_nest]
//        [--count 160] [--methods copy-paste,model] [--variants real,classic] [--seeds 3]
//        [--parallel 2] [--steps N] [--images 1100] [--rare-train 10]
//        [--source DIR --hosted a,b --test-images 250 --min-test-rare 60]
//        [--model NAME=DIR ...] [--controls flat]
//
// Steps, each skipped when its output is already in OUT (rerunning resumes):
//   1. OUT/scenes: `gridfill synth` (seed 11, uniform class mix), or with --source a real Pascal
//      VOC dataset (e.g. the CPLID sample) imported into the platform and exported again as VOC;
//   2. OUT/split: bench/utility/make_split.py (the rare class cut to --rare-train boxes in train,
//      a held-out real test split);
//   3. OUT/fills/<method>: `gridfill start` on a throwaway embedded instance (OUT/platform, the demo
//      model active); per method, the train split imported into its own dataset, set up as a
//      curator would (synthetic share cap, insulator a host object, the insulator defects or
//      --hosted classes hosted by it), `gridfill fill --wait`, every image accepted as
//      `gridfill review --accept-all` does, a version frozen and exported as Pascal VOC with the
//      accepted synthetic images (`gridfill export --include-synthetic`);
//   4. OUT/detector: bench/utility/run.py on real, classic and one `fill:<method>` per method,
//      --parallel processes at a time (one thread each), then the table (OUT/detector/results.md)
//      and OUT/utility.json, the numbers a model card carries as `detectorUtility`.
//
// Methods: `copy-paste` and `model` (composites: full scenes, the host's boxes plus the new one),
// `model-best4` (the same, each image the critic's best of four candidates) and `model-crop` (the
// generator's crops as whole images, for the record). `--model NAME=DIR` registers another export
// (DIR/generator.onnx and DIR/critic.onnx, e.g. an ablation) beside the active demo model, and the
// method NAME makes composites with it. `--controls flat` adds the flat-patch control: the `model`
// fill's export with each new box painted its mean colour (bench/utility/flat_control.py).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFECT_CLASSES, runSynthCommand } from "@gridfill/scenes";
import { ApiClient } from "../../apps/cli/src/api-client.ts";
import { runExport } from "../../apps/cli/src/commands/export.ts";
import { runFill } from "../../apps/cli/src/commands/fill.ts";
import { runImport } from "../../apps/cli/src/commands/import.ts";
import { runModelRegister } from "../../apps/cli/src/commands/model.ts";
import { runReview } from "../../apps/cli/src/commands/review.ts";

const { values: args } = parseArgs({
  options: {
    out: { type: "string" },
    rare: { type: "string", default: "bird_nest" },
    count: { type: "string", default: "160" },
    methods: { type: "string", default: "copy-paste,model" },
    variants: { type: "string", default: "real,classic" },
    seeds: { type: "string", default: "3" },
    parallel: { type: "string", default: "2" },
    steps: { type: "string" },
    images: { type: "string", default: "1100" },
    source: { type: "string" },
    hosted: { type: "string" },
    "test-images": { type: "string", default: "250" },
    "min-test-rare": { type: "string", default: "60" },
    "rare-train": { type: "string", default: "10" },
    "fill-seed": { type: "string", default: "7" },
    "synthetic-share-cap": { type: "string", default: "0.95" },
    python: { type: "string", default: "/usr/bin/python3" },
    model: { type: "string", multiple: true, default: [] },
    controls: { type: "string", default: "" },
  },
});
if (!args.out) throw new Error("--out DIR is required");
const out = path.resolve(args.out);
const here = import.meta.dirname;
const root = path.resolve(here, "../..");
type Method = { method: string; output: string; bestOf?: string; model?: string };
const METHODS: Record<string, Method> = {
  "copy-paste": { method: "copy-paste", output: "composite" },
  model: { method: "model", output: "composite" },
  "model-best4": { method: "model", output: "composite", bestOf: "4" },
  "model-crop": { method: "model", output: "crop" },
};
/** Exports to register beside the demo model: the method NAME fills with the model NAME:bench. */
const extraModels = new Map(
  args.model.map((spec) => {
    const [name, dir] = spec.split("=", 2) as [string, string | undefined];
    if (!dir || METHODS[name]) throw new Error(`--model wants NAME=DIR with a new NAME, got ${spec}`);
    METHODS[name] = { method: "model", output: "composite", model: `${name}:bench` };
    return [name, path.resolve(dir)] as const;
  }),
);
const methods = args.methods.split(",").filter(Boolean);
for (const m of methods) if (!METHODS[m]) throw new Error(`unknown method ${m}`);

function log(message: string) {
  console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
}

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(" ")} exited ${code}`)),
    );
  });
}

// 1. Scenes: procedural ones, or a real dataset (--source, e.g. the CPLID sample) as the platform
// imports it and exports it again as plain Pascal VOC (one annotation file per image).
const scenes = path.join(out, "scenes");
if (!existsSync(path.join(scenes, "Annotations"))) {
  if (args.source) await withPlatform((client) => normalise(client, args.source!));
  else {
    log(`rendering ${args.images} scenes into ${scenes}`);
    const code = await runSynthCommand([
      ...["--out", scenes, "--images", args.images, "--seed", "11"],
      ...["--distribution", "uniform", "--quiet"],
    ]);
    if (code !== 0) throw new Error(`synth exited ${code}`);
  }
}

// 2. Split.
const split = path.join(out, "split");
if (!existsSync(path.join(split, "split.json"))) {
  log(`splitting: ${args["rare-train"]} ${args.rare} boxes in train`);
  await run(args.python, [
    path.join(here, "make_split.py"),
    ...["--scenes", scenes, "--rare", args.rare, "--out", split, "--rare-train", args["rare-train"]],
    ...["--test-images", args["test-images"], "--min-test-rare", args["min-test-rare"]],
  ]);
}

// 3. Fills, made by the platform.
const pending = methods.filter((m) => !existsSync(path.join(out, "fills", m, "done.json")));
if (pending.length > 0)
  await withPlatform(async (client) => {
    for (const name of pending) {
      const dir = extraModels.get(name);
      if (dir) await registerOnce(client, name, dir);
      await fillOne(client, name);
    }
  });

/** Registers an export as NAME:bench (not active), unless an earlier run did. */
async function registerOnce(client: ApiClient, name: string, dir: string) {
  const { modelVersions } = await client.request<{
    modelVersions: { name: string; version: string }[];
  }>(`query { modelVersions { name version } }`);
  if (modelVersions.some((m) => m.name === name && m.version === "bench")) return;
  log(`${name}: registering ${dir}`);
  await runModelRegister(
    client,
    {
      name,
      version: "bench",
      generator: path.join(dir, "generator.onnx"),
      critic: path.join(dir, "critic.onnx"),
    },
    log,
  );
}

/** Runs `gridfill start` (embedded services, the demo model active) on OUT/platform around `work`. */
async function withPlatform(work: (client: ApiClient) => Promise<void>) {
  const dataDir = path.join(out, "platform");
  await mkdir(dataDir, { recursive: true });
  // The embedded PostgreSQL runs as the postgres user when this runs as root: it must enter it.
  await chmod(dataDir, 0o755);
  const apiPort = process.env.PORT ?? "4991";
  log(`starting gridfill on ${dataDir}`);
  const child = spawn(
    process.execPath,
    [path.join(root, "apps/cli/bin/gridfill.js"), "start", "--no-web", "--data-dir", dataDir],
    {
      env: { ...process.env, PORT: apiPort, GRIDFILL_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let banner = "";
  child.stdout.on("data", (chunk: Buffer) => (banner += chunk.toString()));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  try {
    const url = `http://127.0.0.1:${apiPort}`;
    for (const deadline = Date.now() + 600_000; ; ) {
      if (child.exitCode !== null) throw new Error(`gridfill start exited:\n${banner.slice(-2000)}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error(`no answer from ${url}:\n${banner.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const credentials = await readFile(path.join(dataDir, "demo-credentials.txt"), "utf8");
    await work(
      new ApiClient({
        url,
        email: credentials.match(/^email: (.+)$/m)![1]!,
        password: credentials.match(/^password: (.+)$/m)![1]!,
      }),
    );
  } catch (error) {
    console.error(`the platform's log ends with:\n${banner.slice(-4000)}`);
    throw error;
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

/** A real dataset in, plain VOC out: the importer merges split label files and fixes file names. */
async function normalise(client: ApiClient, source: string) {
  const dataset = "utility-source";
  log(`importing ${source} as ${dataset}`);
  await dropLeftover(client, dataset);
  const imported = await runImport(client, source, { dataset, format: "voc", create: true });
  if (imported.status !== "SUCCEEDED") throw new Error(`import ${imported.status}`);
  await exportVoc(client, dataset, scenes, false);
}

/** A dataset an interrupted run left behind is deleted, so the step starts again from scratch. */
async function dropLeftover(client: ApiClient, dataset: string) {
  const id = await datasetId(client, dataset);
  if (!id) return;
  log(`deleting ${dataset}, left by an interrupted run`);
  await client.request(`mutation($id: ID!) { deleteDataset(id: $id) }`, { id });
}

async function datasetId(client: ApiClient, name: string): Promise<string | null> {
  const { dataset } = await client.request<{ dataset: { id: string } | null }>(
    `query($name: String) { dataset(name: $name) { id } }`,
    { name },
  );
  return dataset?.id ?? null;
}

/** Freezes the dataset as a version and exports it as Pascal VOC into `folder`. */
async function exportVoc(
  client: ApiClient,
  dataset: string,
  folder: string,
  includeSynthetic: boolean,
) {
  const { createVersion } = await client.request<{ createVersion: { number: number } }>(
    `mutation($id: ID!) { createVersion(datasetId: $id, note: "utility benchmark") { number } }`,
    { id: await datasetId(client, dataset) },
  );
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const zip = `${folder}.zip`;
  await runExport(client, {
    dataset,
    version: String(createVersion.number),
    format: "voc",
    out: zip,
    includeSynthetic,
    syntheticShareCap: includeSynthetic ? args["synthetic-share-cap"] : undefined,
  });
  await run(args.python, ["-m", "zipfile", "-e", zip, folder]);
  await rm(zip);
}

async function fillOne(client: ApiClient, name: string) {
  const { method, output, bestOf, model } = METHODS[name]!;
  const dataset = `utility-${name}`;
  const target = path.join(out, "fills", name);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  log(`${name}: importing the train split into ${dataset}`);
  await dropLeftover(client, dataset);
  const imported = await runImport(client, path.join(split, "train"), {
    dataset,
    format: "voc",
    create: true,
    split: "train",
  });
  if (imported.status !== "SUCCEEDED") throw new Error(`import ${imported.status}`);
  await setUp(client, dataset);

  log(`${name}: ${args.count} ${output} images of ${args.rare} by ${method}`);
  const fill = await runFill(client, {
    dataset,
    class: args.rare,
    count: args.count,
    method,
    output,
    ...(bestOf ? { bestOf } : {}),
    ...(model ? { model } : {}),
    seed: args["fill-seed"],
    wait: true,
  });
  if (fill.status !== "SUCCEEDED") throw new Error(`fill ${fill.status}: ${fill.error}`);
  await runReview(client, { request: fill.id, acceptAll: true });
  await exportVoc(client, dataset, path.join(target, "voc"), true);
  await writeFile(
    path.join(target, "done.json"),
    JSON.stringify({ dataset, method, output, fill }, null, 1),
  );
}

/** The dataset as a curator would set it up for this fill: a synthetic share cap that lets the
 * rare class reach the others, insulators as host objects, and the defects that sit on an
 * insulator string hosted by it (composites place them inside its boxes). */
async function setUp(client: ApiClient, dataset: string) {
  const { dataset: ds } = await client.request<{
    dataset: { id: string; classes: { id: string; name: string; assetType: string }[] };
  }>(`query($name: String) { dataset(name: $name) { id classes { id name assetType } } }`, {
    name: dataset,
  });
  await client.request(
    `mutation($id: ID!, $cap: Float) { updateDataset(id: $id, input: { syntheticShareCap: $cap }) { id } }`,
    { id: ds.id, cap: Number(args["synthetic-share-cap"]) },
  );
  const insulator = ds.classes.find((c) => c.name === "insulator");
  if (!insulator) return;
  const update = (id: string, input: Record<string, unknown>) =>
    client.request(`mutation($id: ID!, $input: UpdateClassInput!) { updateClass(id: $id, input: $input) { id } }`, {
      id,
      input,
    });
  await update(insulator.id, { isHostObject: true, assetType: "INSULATOR" });
  const onInsulator = new Set<string>(
    args.hosted
      ? args.hosted.split(",")
      : DEFECT_CLASSES.filter((c) => c.assetType === "insulator").map((c) => c.name),
  );
  for (const c of ds.classes)
    if (onInsulator.has(c.name)) await update(c.id, { hostClassId: insulator.id });
}

// 3b. Controls derived from the fills (no platform involved).
const controls = args.controls.split(",").filter(Boolean);
for (const control of controls) {
  if (control !== "flat") throw new Error(`unknown control ${control}`);
  if (!methods.includes("model")) throw new Error("--controls flat needs the model method");
  if (!existsSync(path.join(out, "fills", "flat", "voc"))) {
    log("flat: the model fill with each new box painted its mean colour");
    await run(args.python, [
      path.join(here, "flat_control.py"),
      ...["--fill", path.join(out, "fills", "model", "voc"), "--rare", args.rare],
      ...["--out", path.join(out, "fills", "flat", "voc")],
    ]);
  }
}
const filled = [...methods, ...controls];

// 4. The detector on every training set.
const detector = path.join(out, "detector");
const fillArgs = filled.flatMap((m) => ["--fills", `${m}=${path.join(out, "fills", m, "voc")}`]);
const common = [
  path.join(here, "run.py"),
  ...["--train", path.join(split, "train"), "--test", path.join(split, "test")],
  ...["--rare", args.rare, "--out", detector, "--seeds", args.seeds, "--threads", "1"],
  ...(args.steps ? ["--steps", args.steps] : []),
];
const variants = [...args.variants.split(",").filter(Boolean), ...filled.map((m) => `fill:${m}`)];
// One process per variant, --parallel at a time; each writes its own runs, the last call the table.
const queue = [...variants];
await Promise.all(
  Array.from({ length: Math.max(1, Number(args.parallel)) }, async () => {
    for (let v = queue.shift(); v; v = queue.shift()) {
      const only = v.startsWith("fill:")
        ? ["--variants", "", "--fills", `${v.slice(5)}=${path.join(out, "fills", v.slice(5), "voc")}`]
        : ["--variants", v];
      log(`training the detector on ${v}`);
      await run("nice", ["-n", "10", args.python, ...common, ...only]);
    }
  }),
);
await run(args.python, [...common, "--variants", args.variants, ...fillArgs]);
log(`table: ${path.join(detector, "results.md")}`);

// The numbers a model card carries (`detectorUtility`): the fill dialog shows them beside the method.
type RunResult = { rare_ap50: number | null; rare_recall: number | null; common_map50: number | null };
const results = JSON.parse(await readFile(path.join(detector, "results.json"), "utf8")) as Record<
  string,
  RunResult[]
>;
const stats = (key: keyof RunResult) =>
  Object.fromEntries(
    Object.entries(results).map(([variant, runs]) => {
      const v = runs.map((r) => r[key]).filter((x): x is number => x !== null);
      const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length));
      return [variant.replace(/^fill:/, ""), { mean, std, runs: v.length }];
    }),
  );
const fills = Object.fromEntries(
  await Promise.all(
    methods.map(async (m) => {
      const done = JSON.parse(await readFile(path.join(out, "fills", m, "done.json"), "utf8")) as {
        method: string;
        output: string;
        fill: { seed: string; count: number; completed: number };
      };
      const { seed, count, completed } = done.fill;
      return [m, { method: done.method, output: done.output, seed, count, completed }];
    }),
  ),
);
const card = {
  benchmark: "bench/utility",
  command: `node --import tsx bench/utility/platform.ts ${process.argv.slice(2).join(" ")}`,
  date: new Date().toISOString().slice(0, 10),
  rareClass: args.rare,
  rareTrainBoxes: Number(args["rare-train"]),
  fillCount: Number(args.count),
  seeds: Number(args.seeds),
  steps: args.steps ? Number(args.steps) : null,
  rareAp50: stats("rare_ap50"),
  rareRecall: stats("rare_recall"),
  commonMap50: stats("common_map50"),
  fills,
};
await writeFile(path.join(out, "utility.json"), JSON.stringify(card, null, 1) + "\n");
log(`model-card numbers: ${path.join(out, "utility.json")}`);
