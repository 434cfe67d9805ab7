/**
 * `synth` command: render a Pascal VOC dataset of procedural inspection scenes.
 *   node --import tsx packages/scenes/src/cli.ts --out DIR --images N --seed S
 */
import type * as CliProgress from "cli-progress";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFECT_CLASS_NAMES, isDefectClassName } from "./classes.ts";
import type { DefectClassName } from "./classes.ts";
import { writeVocDataset } from "./dataset.ts";
import type { DatasetSummary } from "./dataset.ts";
import type { DistributionSpec } from "./distribution.ts";

export const SYNTH_USAGE = `Usage: synth --out DIR [options]

Render procedural power-line inspection scenes as a Pascal VOC dataset.

Options:
  --out DIR                 output directory (required)
  --images N                number of images (default 100)
  --seed S                  dataset seed, number or text (default 1)
  --width W                 image width in px (default 640)
  --height H                image height in px (default 480)
  --distribution D          long-tail | uniform | class=weight,... (default long-tail)
  --tail-exponent X         Zipf exponent of the long tail (default 1.2)
  --class-order a,b,...     long-tail ranking, most frequent first
  --max-defects M           defects per image are drawn from 1..M (default 3)
  --no-normal-parts         omit the context 'insulator' boxes
  --clean-share F           share of defect-free scenes, 0..1 (default 0.1): clean hosts for fills
  --quiet                   no progress bar
  -h, --help                show this help

Classes: ${DEFECT_CLASS_NAMES.join(", ")}
`;

export interface SynthArgs {
  out: string;
  images: number;
  seed: number | string;
  width?: number;
  height?: number;
  distribution: DistributionSpec;
  tailExponent?: number;
  classOrder?: DefectClassName[];
  maxDefects?: number;
  includeNormalParts: boolean;
  /** Share of defect-free scenes (clean composite hosts). */
  cleanShare: number;
  quiet: boolean;
}

export class SynthUsageError extends Error {}

function share(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new SynthUsageError(`--${name} must be in 0..1, got "${value}"`);
  return n;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new SynthUsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function parseDistribution(value: string | undefined): DistributionSpec {
  if (value === undefined || value === "long-tail" || value === "uniform")
    return value ?? "long-tail";
  const weights: Partial<Record<DefectClassName, number>> = {};
  for (const pair of value.split(",")) {
    const [name, w] = pair.split("=").map((p) => p.trim());
    if (!name || !isDefectClassName(name) || w === undefined || !(Number(w) >= 0)) {
      throw new SynthUsageError(
        `--distribution must be long-tail, uniform or class=weight,... (got "${pair}")`,
      );
    }
    weights[name] = Number(w);
  }
  return weights;
}

/** Parses `synth` arguments; returns null when help was requested. */
export function parseSynthArgs(argv: readonly string[]): SynthArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        out: { type: "string", short: "o" },
        images: { type: "string", short: "n" },
        seed: { type: "string", short: "s" },
        width: { type: "string" },
        height: { type: "string" },
        distribution: { type: "string" },
        "tail-exponent": { type: "string" },
        "class-order": { type: "string" },
        "max-defects": { type: "string" },
        "no-normal-parts": { type: "boolean" },
        "clean-share": { type: "string" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new SynthUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  if (!v.out) throw new SynthUsageError("--out is required");
  const seedText = v.seed ?? "1";
  const seed =
    /^\d+$/.test(seedText) && Number(seedText) <= 0xffffffff ? Number(seedText) : seedText;
  let tailExponent: number | undefined;
  if (v["tail-exponent"] !== undefined) {
    tailExponent = Number(v["tail-exponent"]);
    if (!(tailExponent >= 0))
      throw new SynthUsageError(`--tail-exponent must be >= 0, got "${v["tail-exponent"]}"`);
  }
  let classOrder: DefectClassName[] | undefined;
  if (v["class-order"] !== undefined) {
    classOrder = v["class-order"]
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => {
        if (!isDefectClassName(c))
          throw new SynthUsageError(`unknown class in --class-order: "${c}"`);
        return c;
      });
  }
  return {
    out: v.out,
    images: positiveInt("images", v.images) ?? 100,
    seed,
    width: positiveInt("width", v.width),
    height: positiveInt("height", v.height),
    distribution: parseDistribution(v.distribution),
    tailExponent,
    classOrder,
    maxDefects: positiveInt("max-defects", v["max-defects"]),
    cleanShare: share("clean-share", v["clean-share"]) ?? 0.1,
    includeNormalParts: !v["no-normal-parts"],
    quiet: Boolean(v.quiet),
  };
}

interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Uses cli-progress when the workspace has it, else a plain carriage-return counter. */
async function createProgress(total: number, stream: NodeJS.WriteStream): Promise<Progress> {
  try {
    const mod = await import("cli-progress");
    const bars = (mod.default ?? mod) as typeof CliProgress;
    const bar = new bars.SingleBar(
      {
        stream,
        format: "synth [{bar}] {value}/{total} images | {percentage}% | ETA {eta}s",
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 1000,
      },
      bars.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (d) => bar.update(d), stop: () => bar.stop() };
  } catch {
    const width = 30;
    return {
      update: (d) => {
        const filled = Math.round((d / Math.max(1, total)) * width);
        stream.write(
          `\rsynth [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${d}/${total} images`,
        );
      },
      stop: () => stream.write("\n"),
    };
  }
}

export function formatSummary(summary: DatasetSummary): string {
  const names = Object.keys(summary.boxesPerClass);
  const pad = Math.max(...names.map((n) => n.length));
  const perImage = summary.images ? (summary.elapsedMs / summary.images).toFixed(1) : "0";
  const lines = [
    `Wrote ${summary.images} images to ${summary.out} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${perImage} ms/image)`,
    `Splits: train ${summary.splits.train}, val ${summary.splits.val}, test ${summary.splits.test}`,
    "Boxes per class:",
    ...names
      .sort((a, b) => (summary.boxesPerClass[b] ?? 0) - (summary.boxesPerClass[a] ?? 0))
      .map((n) => `  ${n.padEnd(pad)}  ${summary.boxesPerClass[n]}`),
  ];
  if (summary.dropped) lines.push(`Defects that did not fit their scene: ${summary.dropped}`);
  return lines.join("\n") + "\n";
}

/**
 * Entry point shared by this script and `gridfill synth`. Takes the arguments
 * after the command name; returns the process exit code (0 ok, 2 usage error).
 */
export async function runSynthCommand(
  argv: readonly string[],
  io: { stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let args: SynthArgs | null;
  try {
    args = parseSynthArgs(argv);
  } catch (error) {
    if (!(error instanceof SynthUsageError)) throw error;
    stderr.write(`synth: ${error.message}\n\n${SYNTH_USAGE}`);
    process.exitCode = 2;
    return 2;
  }
  if (!args) {
    stdout.write(SYNTH_USAGE);
    return 0;
  }
  const progress = args.quiet ? null : await createProgress(args.images, stderr);
  const summary = await writeVocDataset({
    out: args.out,
    images: args.images,
    seed: args.seed,
    width: args.width,
    height: args.height,
    distribution: args.distribution,
    tailExponent: args.tailExponent,
    classOrder: args.classOrder,
    maxDefects: args.maxDefects,
    includeNormalParts: args.includeNormalParts,
    cleanShare: args.cleanShare,
    onProgress: (done) => progress?.update(done),
  });
  progress?.stop();
  stdout.write(formatSummary(summary));
  return 0;
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runSynthCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`synth: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
