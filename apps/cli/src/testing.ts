// For the command line's tests: run `gridfill` as a user would, as a child process, and a small
// dataset to fill.
import { spawn } from "node:child_process";
import path from "node:path";
import { boxImage } from "@gridfill/generator/testing";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import type { TestApi } from "../../api/src/testing/harness.ts";

export const GRIDFILL_BIN = path.resolve(import.meta.dirname, "../bin/gridfill.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gridfill ARGS` to its end. Credentials come only from `env` (GRIDFILL_URL, GRIDFILL_TOKEN,
 * …): those of the calling process are blanked, so a test never signs in by accident.
 */
export function runGridfill(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [GRIDFILL_BIN, ...args], {
      env: {
        ...process.env,
        GRIDFILL_TOKEN: "",
        GRIDFILL_EMAIL: "",
        GRIDFILL_PASSWORD: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A dataset `name` with one class, `crack`, and four real train images of it (128 × 96, one box
 * each): enough references and hosts for a fill of the fixture model or by copy-paste.
 */
export async function seedCrackDataset(t: TestApi, name: string): Promise<string> {
  const prisma = t.db.prisma;
  const dataset = await prisma.dataset.create({ data: { name, syntheticShareCap: 0.9 } });
  await prisma.defectClass.create({ data: { datasetId: dataset.id, name: "crack" } });
  for (let i = 0; i < 4; i++) {
    const box = { x: 20 + i * 5, y: 18, width: 26, height: 22 };
    await addImageFromBuffer(
      { prisma, storage: t.storage, config: t.config },
      {
        datasetId: dataset.id,
        buffer: await boxImage(128, 96, box, [200 - i * 20, 80 + i * 30, 60], i + 1),
        filename: `crack-${i}.png`,
        split: "TRAIN",
        annotations: [{ className: "crack", box }],
        actor: null,
      },
    );
  }
  return dataset.id;
}
