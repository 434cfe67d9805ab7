// For the command line's tests: run `gridfill` as a user would, as a child process.
import { spawn } from "node:child_process";
import path from "node:path";

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
