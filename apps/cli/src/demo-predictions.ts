// The demo's prediction runs: version 1 of the demo dataset and, on its test split, every run in
// apps/cli/demo-predictions (the outputs of real detectors trained on procedural scenes, see its
// README), so the evaluation, the comparison of two runs and the label-error queue show real data
// on first start.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { importPredictionTable } from "@gridfill/core/predictions/import.ts";
import { createVersion } from "@gridfill/core/versions/service.ts";
import { openFolder, readPredictions } from "@gridfill/formats";

export const DEMO_RUNS = path.resolve(import.meta.dirname, "../demo-predictions");

export async function seedDemoPredictions(
  deps: { prisma: PrismaClient; storage: Storage } & Parameters<typeof importPredictionTable>[0],
  datasetId: string,
): Promise<{ version: number; runs: { name: string; predictions: number }[] }> {
  const version = await createVersion(
    deps,
    null,
    datasetId,
    "The demo's prediction runs are scored against this version's test split.",
  );
  const runs = [];
  const names = readdirSync(DEMO_RUNS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const file = await readPredictions(openFolder(path.join(DEMO_RUNS, name)), "COCO");
    if (file.errors.length > 0)
      throw new Error(`demo run ${name}: ${file.errors[0]!.file}: ${file.errors[0]!.message}`);
    const run = await deps.prisma.predictionRun.create({
      data: { datasetId, versionId: version.id, split: "TEST", source: "IMPORT", name },
    });
    const summary = await importPredictionTable(deps, run, file.table);
    if (summary.status !== "SUCCEEDED")
      throw new Error(
        `demo run ${name} was refused: ${JSON.stringify(summary.errors.slice(0, 3))}`,
      );
    runs.push({ name, predictions: summary.predictions });
  }
  return { version: version.number, runs };
}
