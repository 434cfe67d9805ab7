// `gridfill worker`: a background worker of its own (fills, and imports and exports unless told
// otherwise) on DATABASE_URL and S3_ENDPOINT. Run one per GPU; any number share the queue.
import { hostname } from "node:os";
import type { Config } from "@gridfill/config";
import { createLogger, openRuntime } from "@gridfill/core";
import { startJobs, WORK_KINDS, type WorkKind } from "@gridfill/worker";
import { applyMigrations } from "@gridfill/db";

export function parseQueues(raw: string | undefined): WorkKind[] {
  if (!raw) return [...WORK_KINDS];
  const kinds = raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = kinds.filter((k) => !WORK_KINDS.includes(k as WorkKind));
  if (unknown.length || kinds.length === 0)
    throw new Error(
      `--queues takes a comma-separated list of ${WORK_KINDS.join(", ")}; got ${JSON.stringify(raw)}`,
    );
  return kinds as WorkKind[];
}

export async function runWorker(config: Config, options: { queues?: string }): Promise<void> {
  if (!config.databaseUrl)
    throw new Error(
      "DATABASE_URL is required (`gridfill start` runs a worker on the embedded database)",
    );
  if (!config.s3Endpoint)
    throw new Error(
      "S3_ENDPOINT is required (`gridfill start` runs a worker on the embedded storage)",
    );
  const work = parseQueues(options.queues);
  const log = createLogger(config.logLevel, (line) => process.stdout.write(`${line}\n`));
  await applyMigrations(config.databaseUrl);
  const runtime = await openRuntime(config, { log });
  const jobs = await startJobs(runtime, { work });
  log.info("worker ready", {
    host: hostname(),
    pid: process.pid,
    queues: work.join(","),
    concurrency: config.fills.concurrency,
    executionProvider: config.fills.executionProvider,
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log.info("worker stopping: running jobs go back to the queue at their next sample");
    await jobs.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  // Under `gridfill start`: say we are ready, and stop when the supervising process goes away.
  if (process.send) {
    process.send({ ready: true, pid: process.pid });
    process.on("disconnect", () => void shutdown());
  }
}
