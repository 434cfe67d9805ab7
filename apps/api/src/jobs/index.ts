// Background jobs on the platform's own PostgreSQL (pg-boss, schema `pgboss`): imports, exports and
// synthetic fills run here, outside any request. pg-boss gives at-least-once delivery; the handlers
// are idempotent and resume from their checkpoints, so a job picked up again after a crash finishes
// the work. Fill jobs send heartbeats: a worker that dies (kill -9, lost machine) stops sending
// them and the queue hands the job to another worker, which resumes it.
import { PgBoss } from "pg-boss";
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "../log.ts";
import { runImportJob } from "../imports/job.ts";
import { runExportJob } from "../exports/job.ts";
import { failFill, processModelCache, runFillJob } from "../fills/worker.ts";

import { QUEUES, type JobQueue } from "./queues.ts";

export { QUEUES, type JobQueue, type QueueName } from "./queues.ts";

export interface JobDeps {
  prisma: PrismaClient;
  pool?: Pool;
  storage: Storage;
  config: Config;
  log: Logger;
  databaseUrl: string;
}

export interface RunningJobs extends JobQueue {
  boss: PgBoss;
  stop(): Promise<void>;
}

export type WorkKind = "import" | "export" | "fill";
export const WORK_KINDS: readonly WorkKind[] = ["import", "export", "fill"];

export interface StartJobsOptions {
  /** Queues this process works on; default all. An empty list only enqueues. */
  work?: readonly WorkKind[];
}

/** Attempts of a fill job after the first (a dead worker's job counts one). */
export const FILL_RETRY_LIMIT = 10;

export async function startJobs(
  deps: JobDeps,
  options: StartJobsOptions = {},
): Promise<RunningJobs> {
  const work = new Set(options.work ?? WORK_KINDS);
  const boss = new PgBoss({
    connectionString: deps.databaseUrl,
    schema: "pgboss",
    max: 4,
    superviseIntervalSeconds: deps.config.jobSuperviseSeconds,
    // Workers wake on NOTIFY the moment a job is created (polling stays as the fallback).
    useListenNotify: true,
  });
  boss.on("error", (error: unknown) =>
    deps.log.error("job queue error", {
      error: error instanceof Error ? error.message : JSON.stringify(error),
    }),
  );
  await boss.start();
  // A job that outlives its expiry (a crashed worker) is retried; the handlers resume.
  const queueOptions = { retryLimit: 3, retryDelay: 5, expireInSeconds: 6 * 3600 };
  await boss.createQueue(QUEUES.import, queueOptions);
  await boss.createQueue(QUEUES.export, queueOptions);
  // Fills: heartbeats every 5 s (pg-boss sends them while the handler runs); none for 10 s and the
  // job goes back to the queue.
  const fillQueue = {
    retryLimit: FILL_RETRY_LIMIT,
    retryDelay: 1,
    expireInSeconds: 24 * 3600,
    heartbeatSeconds: 10,
    notify: true,
  };
  await boss.createQueue(QUEUES.fill, fillQueue);
  await boss.updateQueue(QUEUES.fill, fillQueue); // an existing queue takes today's options
  const handlerDeps = { ...deps };
  if (work.has("import"))
    await boss.work<{ id: string }>(
      QUEUES.import,
      { pollingIntervalSeconds: 0.5, localConcurrency: 2 },
      async ([job]) => {
        if (job) await runImportJob(handlerDeps, job.data.id);
      },
    );
  if (work.has("export"))
    await boss.work<{ id: string }>(
      QUEUES.export,
      { pollingIntervalSeconds: 0.5, localConcurrency: 2 },
      async ([job]) => {
        if (job) await runExportJob(handlerDeps, job.data.id);
      },
    );
  // Stopping hands running fills back to the queue at their next batch instead of finishing them.
  const stopping = new AbortController();
  const models = processModelCache(deps.storage, deps.config, (line) => deps.log.warn(line));
  if (work.has("fill")) {
    // Load the active model now, so the first fill does not wait for it (failures are retried by
    // the first job that needs the model).
    void deps.prisma.modelVersion
      .findFirst({ where: { status: "ACTIVE" }, orderBy: { id: "desc" } })
      .then((model) => (model ? models.get(model) : undefined))
      .catch((error: unknown) =>
        deps.log.warn("could not preload the active model", { error: String(error) }),
      );
  }
  if (work.has("fill"))
    await boss.work<{ id: string }>(
      QUEUES.fill,
      {
        pollingIntervalSeconds: 0.5,
        localConcurrency: deps.config.fills.concurrency,
        heartbeatRefreshSeconds: 5,
      },
      async ([job]) => {
        if (!job) return;
        try {
          await runFillJob(
            { ...handlerDeps, models },
            job.data.id,
            AbortSignal.any([job.signal, stopping.signal]),
          );
        } catch (error) {
          deps.log.warn("fill job attempt failed; it will be retried", {
            requestId: job.data.id,
            attempt: job.retryCount,
            error: String(error),
          });
          if (job.retryCount >= FILL_RETRY_LIMIT)
            await failFill(
              deps.prisma,
              job.data.id,
              `gave up after ${job.retryCount + 1} attempts: ${String(error)}`,
            ).catch(() => undefined);
          throw error;
        }
      },
    );
  return {
    boss,
    async send(queue, data, opts = {}) {
      const tx = opts.tx;
      return boss.send(
        queue,
        data,
        tx
          ? {
              db: {
                executeSql: async (text, values = []) => ({
                  rows: await tx.$queryRawUnsafe(text, ...values),
                }),
              },
            }
          : {},
      );
    },
    async stop() {
      stopping.abort();
      await boss.stop({ graceful: true, timeout: 15_000 });
      await models.close();
    },
  };
}
