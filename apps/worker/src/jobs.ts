// The worker's side of the job queue: it opens the queue the API sends to (packages/core) and works
// on imports, exports and fills. pg-boss gives at-least-once delivery; the handlers are idempotent
// and resume from their checkpoints, so a job picked up again after a crash finishes the work.
// Fill jobs send heartbeats: a worker that dies (kill -9, lost machine) stops sending them and the
// queue hands the job to another worker, which resumes it.
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "@gridfill/core/log.ts";
import { runImportJob } from "@gridfill/core/imports/job.ts";
import { runExportJob } from "@gridfill/core/exports/job.ts";
import { runPredictionJob } from "./predictions/detector-run.ts";
import { FILL_RETRY_LIMIT, openQueue, QUEUES, type OpenQueue } from "@gridfill/core/jobs/queues.ts";
import { failFill, runFillJob } from "./fills/job.ts";
import { processModelCache } from "./fills/models.ts";
import { runRegenerateJob } from "./fills/regenerate.ts";
import { runPreviewJob } from "./fills/preview.ts";
import type { JobData } from "@gridfill/core/jobs/queues.ts";

export { FILL_RETRY_LIMIT, openQueue };

export interface JobDeps {
  prisma: PrismaClient;
  pool?: Pool;
  storage: Storage;
  config: Config;
  log: Logger;
  databaseUrl: string;
}

export interface RunningJobs extends OpenQueue {
  stop(): Promise<void>;
}

export type WorkKind = "import" | "export" | "fill" | "predictions";
export const WORK_KINDS: readonly WorkKind[] = ["import", "export", "fill", "predictions"];

export interface StartJobsOptions {
  /** Queues this process works on; default all. An empty list only enqueues. */
  work?: readonly WorkKind[];
}

export async function startJobs(
  deps: JobDeps,
  options: StartJobsOptions = {},
): Promise<RunningJobs> {
  const work = new Set(options.work ?? WORK_KINDS);
  const queue = await openQueue(deps);
  const { boss } = queue;
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
  if (work.has("predictions"))
    await boss.work<{ id: string }>(
      QUEUES.predictions,
      { pollingIntervalSeconds: 0.5, localConcurrency: 1 },
      async ([job]) => {
        if (job) await runPredictionJob(handlerDeps, job.data.id);
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
  // Regenerate replays one lineage row while a caller waits: the fill workers take it.
  if (work.has("fill"))
    await boss.work<JobData>(
      QUEUES.regenerate,
      { pollingIntervalSeconds: 0.5, localConcurrency: 1 },
      async ([job]) => (job ? runRegenerateJob(handlerDeps, job.data) : undefined),
    );
  // Fill previews, likewise: a curator is waiting in the fill dialog.
  if (work.has("fill"))
    await boss.work<JobData>(
      QUEUES.preview,
      { pollingIntervalSeconds: 0.5, localConcurrency: 1 },
      async ([job]) => (job ? runPreviewJob({ ...handlerDeps, models }, job.data) : undefined),
    );
  return {
    ...queue,
    async stop() {
      stopping.abort();
      await queue.stop({ graceful: true, timeout: 15_000 });
      await models.close();
    },
  };
}
