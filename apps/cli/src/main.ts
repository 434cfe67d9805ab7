import { Command, Option } from "commander";
import { ConfigError, loadConfig } from "@gridfill/config";
import { ApiClient, ApiError } from "./api-client.ts";
import { fetchBalances, formatBalance } from "./commands/balance.ts";
import { runAdminCreate } from "./commands/admin.ts";
import { runStart } from "./commands/start.ts";
import type { runExport as RunExport } from "./commands/export.ts";
import type { runFill as RunFill } from "./commands/fill.ts";
import type { ReviewOptions } from "./commands/review.ts";
import type { PredictionImportOptions } from "./commands/predictions.ts";
import type { EvaluateOptions } from "./commands/evaluate.ts";

type ExportOptions = Parameters<typeof RunExport>[1];
type FillCommandOptions = Parameters<typeof RunFill>[1];

function program(): Command {
  const cli = new Command("gridfill")
    .description("gridfill: curate power-grid defect datasets and fill their rare classes")
    .showHelpAfterError();

  cli
    .command("start")
    .description(
      "start the platform: API, a worker process, console, and embedded services when none are configured",
    )
    .option("--data-dir <dir>", "where embedded services keep their data (GRIDFILL_DATA_DIR)")
    .option("--no-web", "do not start the console")
    .option(
      "--no-worker",
      "do not start a worker process (workers run elsewhere: `gridfill worker`)",
    )
    .action(async (opts: { dataDir?: string; web: boolean; worker: boolean }) => {
      await runStart(loadConfig(process.env, { dataDir: opts.dataDir }), {
        web: opts.web,
        worker: opts.worker,
      });
    });

  cli
    .command("ingest")
    .description(
      "run the telemetry ingester (MQTT → DATABASE_URL) until Ctrl-C; embedded broker when MQTT_URL is unset",
    )
    .option(
      "--client-id <id>",
      "MQTT client id; names the broker-side session",
      "gridfill-ingester",
    )
    .option("--topic-prefix <prefix>", "topic prefix, ending with /")
    .action(async (opts: { clientId: string; topicPrefix?: string }) => {
      const { runIngest } = await import("./commands/ingest.ts");
      await runIngest(loadConfig(process.env), opts);
    });

  cli
    .command("worker")
    .description(
      "run a background worker (fills on CPU or CUDA, imports, exports) on DATABASE_URL and S3_ENDPOINT until Ctrl-C",
    )
    .option("--queues <list>", "comma-separated: fill, import, export (default: all)")
    .action(async (opts: { queues?: string }) => {
      const { runWorker } = await import("./commands/worker.ts");
      await runWorker(loadConfig(process.env), opts);
    });

  const model = cli.command("model").description("the generator model registry");
  model
    .command("register")
    .description("register an MVSA-GAN generator (and critic) ONNX export through the API")
    .requiredOption("--name <name>")
    .requiredOption("--version <version>")
    .requiredOption("--generator <file>", "generator.onnx")
    .option("--critic <file>", "critic.onnx")
    .option("--metrics <file>", "JSON file of the model card's measured metrics")
    .option("--activate", "make it the active model")
    .action(
      async (opts: {
        name: string;
        version: string;
        generator: string;
        critic?: string;
        metrics?: string;
        activate?: boolean;
      }) => {
        const { runModelRegister } = await import("./commands/model.ts");
        await runModelRegister(ApiClient.fromEnv(), opts);
      },
    );

  const admin = cli.command("admin").description("administration");
  admin
    .command("create")
    .description("create an administrator (works before any user exists)")
    .requiredOption("--email <email>")
    .option(
      "--password <password>",
      "at least 12 characters (default: GRIDFILL_ADMIN_PASSWORD, or prompt)",
    )
    .option("--name <name>", "display name", "Administrator")
    .option("--data-dir <dir>", "data directory of an embedded installation")
    .action(async (opts: { email: string; password?: string; name: string; dataDir?: string }) => {
      await runAdminCreate(loadConfig(process.env, { dataDir: opts.dataDir }), opts);
    });

  cli
    .command("synth")
    .description("render a Pascal VOC dataset of procedural power-line inspection scenes")
    .allowUnknownOption()
    .helpOption(false)
    .argument("[args...]")
    .action(async () => {
      const { runSynthCommand } = await import("@gridfill/scenes");
      const at = process.argv.indexOf("synth");
      await runSynthCommand(process.argv.slice(at + 1));
    });

  cli
    .command("balance")
    .description("print class-balance statistics (every dataset when no name is given)")
    .option("--dataset <name>")
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (opts: { dataset?: string; json?: boolean }) => {
      const balances = await fetchBalances(ApiClient.fromEnv(), opts.dataset);
      process.stdout.write(
        opts.json ? JSON.stringify(balances, null, 2) + "\n" : formatBalance(balances) + "\n",
      );
    });

  cli
    .command("import")
    .description("import a Pascal VOC, COCO or YOLO dataset (a folder or a .zip) into a dataset")
    .argument("<path>", "dataset folder or .zip archive")
    .requiredOption("--dataset <name>", "target dataset")
    .requiredOption("--format <format>", "voc, coco or yolo")
    .option("--create", "create the dataset if it does not exist")
    .option("--split <split>", "put every image in this split (train, val or test)")
    .option(
      "--class-map <file>",
      'JSON file renaming classes: { "Insulator": "insulator", "tower": null }',
    )
    .option(
      "--metadata-only",
      "upload only the label files: the images are already in the images bucket",
    )
    .option(
      "--bucket-prefix <prefix>",
      "with --metadata-only: the bucket folder holding the images (key = prefix + image path)",
    )
    .addOption(new Option("--json", "machine-readable output"))
    .action(
      async (
        source: string,
        opts: {
          dataset: string;
          format: string;
          create?: boolean;
          split?: string;
          classMap?: string;
          json?: boolean;
          metadataOnly?: boolean;
          bucketPrefix?: string;
        },
      ) => {
        const { runImport } = await import("./commands/import.ts");
        const job = await runImport(ApiClient.fromEnv(), source, opts);
        if (job.status !== "SUCCEEDED") process.exitCode = 1;
      },
    );

  cli
    .command("export")
    .description("export a dataset version as a Pascal VOC, COCO or YOLO zip")
    .requiredOption("--dataset <name>")
    .requiredOption("--version <n>", "version number")
    .requiredOption("--format <format>", "voc, coco or yolo")
    .requiredOption("--out <file>", "where to write the zip")
    .option("--splits <list>", "comma-separated splits (default: all)")
    .option("--include-synthetic", "add accepted synthetic images, up to the synthetic share cap")
    .option("--synthetic-share-cap <cap>", "synthetic share per class, 0 ≤ cap < 1")
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (opts: ExportOptions) => {
      const { runExport } = await import("./commands/export.ts");
      await runExport(ApiClient.fromEnv(), opts);
    });

  cli
    .command("fill")
    .description("fill a class with synthetic images (composites by default) through the API")
    .requiredOption("--dataset <name>")
    .requiredOption("--class <name>", "the class to fill")
    .option("--count <n>", "how many images")
    .option("--strategy <strategy>", "to-max or to-median: the count from the fill plan")
    .option("--method <method>", "model or copy-paste (default: model when one is active)")
    .option("--output <output>", "composite (full-size scenes, default) or crop")
    .option("--hosts <hosts>", "clean (default, falls back to any) or any")
    .option("--model <name[:version]>", "a registered model (default: the active one)")
    .option(
      "--best-of <n>",
      "model fills: make n candidates per image (1-8) and keep the one the critic scores best",
    )
    .option("--seed <seed>", "64-bit seed (decimal); random when omitted")
    .option("--wait", "follow the fill to its end with a progress bar")
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (opts: FillCommandOptions) => {
      const { runFill } = await import("./commands/fill.ts");
      const request = await runFill(ApiClient.fromEnv(), opts);
      if (opts.wait && request.status !== "SUCCEEDED") process.exitCode = 1;
    });

  cli
    .command("review")
    .description("accept or reject every pending image of a fill request")
    .requiredOption("--request <id>", "the fill request")
    .option("--accept-all", "accept them")
    .option("--reject-all", "reject them")
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (opts: ReviewOptions) => {
      const { runReview } = await import("./commands/review.ts");
      await runReview(ApiClient.fromEnv(), opts);
    });

  const predictions = cli.command("predictions").description("detector prediction runs");
  predictions
    .command("import")
    .description(
      "import a detector's predictions on a version's split (COCO results, YOLO txt, VOC)",
    )
    .argument("<path>", "a folder, a .zip, or one results file")
    .requiredOption("--dataset <name>")
    .requiredOption("--version <n>", "the version the detector ran on")
    .requiredOption("--split <split>", "train, val or test")
    .requiredOption("--format <format>", "coco, yolo or voc")
    .option("--name <name>", "what to call the run (default: the file name)")
    .option(
      "--class-map <file>",
      'JSON file renaming classes: { "Insulator": "insulator", "tower": null }',
    )
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (source: string, opts: PredictionImportOptions) => {
      const { runPredictionImport } = await import("./commands/predictions.ts");
      const run = await runPredictionImport(ApiClient.fromEnv(), source, opts);
      if (run.status !== "SUCCEEDED") process.exitCode = 1;
    });

  cli
    .command("evaluate")
    .description("per-class AP, precision, recall and F1 of a prediction run, or two runs compared")
    .requiredOption("--run <id>", "the prediction run")
    .option("--compare <id>", "a second run, shown beside the first with the AP deltas")
    .option("--iou <iou>", "IoU for precision / recall / F1 (default 0.5)")
    .option("--confidence <score>", "score from which a prediction counts (default 0.5)")
    .addOption(new Option("--json", "machine-readable output"))
    .action(async (opts: EvaluateOptions) => {
      const { runEvaluate } = await import("./commands/evaluate.ts");
      await runEvaluate(ApiClient.fromEnv(), opts);
    });

  return cli;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { port?: number };
    if (e.code === "EADDRINUSE") {
      process.stderr.write(
        `gridfill: port ${e.port} is already in use; set PORT or WEB_PORT to another port\n`,
      );
    } else if (
      error instanceof ConfigError ||
      error instanceof ApiError ||
      !process.env.GRIDFILL_DEBUG
    ) {
      process.stderr.write(`gridfill: ${e.message}\n`);
      if (!(error instanceof ConfigError || error instanceof ApiError)) {
        process.stderr.write("(set GRIDFILL_DEBUG=1 for details)\n");
      }
    } else {
      process.stderr.write(`${e.stack ?? e.message}\n`);
    }
    process.exit(error instanceof ConfigError || error instanceof ApiError ? 2 : 1);
  }
}
