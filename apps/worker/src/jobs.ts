// The worker's side of the job queue: it opens the queue the API sends to (packages/core) and works
// on imports, exports and fills. pg-boss gives at-least-once delivery; the handlers are idempotent
// and resume from their checkpoints, so a job picked up again after a crash finishes the work.
// Every long job sends heartbeats: a worker that dies (kill -9, lost machine) stops sending them and
// the queue hands the job to another worker, which resumes it. A stopping worker hands its running
// jobs back at their next record, batch or sample. Periodic chores run as the `upkeep` schedule.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "@gridfill/core/log.ts";
import { runImportJob } from "@gridfill/core/imports/job.ts";
import { runExportJob } from "@gridfill/core/exports/job.ts";
import { runPredictionJob } from "./predictions/detector-run.ts";
import {
  FILL_RETRY_LIMIT,
  HEARTBEAT_REFRESH_SECONDS,
  openQueue,
  QUEUES,
  UPKEEP_CRON,
  type OpenQueue,
} from "@gridfill/core/jobs/queues.ts";
import { failOrphanedRows, runUpkeep, watchUnwatchedJobs } from "@gridfill/core/jobs/upkeep.ts";
import { failFill, runFillJob } from "./fills/job.ts";
import { processModelCache } from "./fills/models.ts";
import { runRegenerateJob } from "./fills/regenerate.ts";
import { runPreviewJob } from "./fills/preview.ts";
import type { JobData } from "@gridfill/core/jobs/queues.ts";

export { FILL_RETRY_LIMIT, openQueue };

export interface JobDeps {
  prisma: PrismaClient;
  /** The process's pool: the queue runs on it, and so does the upkeep's partition maintenance. */
  pool: Pool;
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

/** How long a stopping worker waits for its jobs to hand themselves back (within `start`'s 10 s). */
const STOP_TIMEOUT_MS = 6_000;

/**
 * Runs one job and logs how long the process's event loop stood still meanwhile: a stalled loop
 * delays heartbeats (the job would be taken over) and signal handling (stop would hang). Two
 * measures: monitorEventLoopDelay's wall-clock delay, which also counts time the process waited
 * for a core on a busy machine, and the most CPU time this thread spent between two turns of the
 * loop, which is the work that held it. It also logs the process's resident memory at the start
 * and at its highest during the job (sampled with the loop turns), so a job whose memory grows
 * with its input shows.
 */
async function measured(
  log: Logger,
  queue: string,
  id: string,
  run: () => Promise<void>,
): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let heldCpuMs = 0;
  let last = process.threadCpuUsage();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const turns = setInterval(() => {
    const now = process.threadCpuUsage();
    heldCpuMs = Math.max(heldCpuMs, (now.user + now.system - last.user - last.system) / 1000);
    last = now;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 10);
  delay.enable();
  try {
    await run();
  } finally {
    delay.disable();
    clearInterval(turns);
    log.info("job attempt ended", {
      queue,
      id,
      eventLoopDelayMaxMs: Math.round(delay.max / 1e5) / 10,
      eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
      eventLoopHeldCpuMs: Math.round(heldCpuMs),
      rssStartMb: Math.round(rssStart / 2 ** 20),
      rssPeakMb: Math.round(rssPeak / 2 ** 20),
    });
  }
}

export async function startJobs(
  deps: JobDeps,
  options: StartJobsOptions = {},
): Promise<RunningJobs> {
  const work = new Set(options.work ?? WORK_KINDS);
  const queue = await openQueue(deps);
  const { boss } = queue;
  const handlerDeps = { ...deps };
  // Stopping hands running jobs back to the queue at their next step instead of finishing them.
  const stopping = new AbortController();
  if (work.size > 0) {
    // Jobs a dead process left behind: resumed by the queue, or their rows failed when they cannot be.
    const watched = await watchUnwatchedJobs(deps.prisma);
    const orphaned = await failOrphanedRows(deps.prisma);
    if (watched || orphaned.length)
      deps.log.warn("jobs left behind by a stopped worker", {
        handedBack: watched,
        failed: orphaned.join(","),
      });
  }
  const longJob = {
    pollingIntervalSeconds: 0.5,
    heartbeatRefreshSeconds: HEARTBEAT_REFRESH_SECONDS,
  };
  if (work.has("import"))
    await boss.work<{ id: string }>(
      QUEUES.import,
      { ...longJob, localConcurrency: 2 },
      async ([job]) => {
        if (job)
          await measured(deps.log, QUEUES.import, job.data.id, () =>
            runImportJob(handlerDeps, job.data.id, AbortSignal.any([job.signal, stopping.signal])),
          );
      },
    );
  if (work.has("export"))
    await boss.work<{ id: string }>(
      QUEUES.export,
      { ...longJob, localConcurrency: 2 },
      async ([job]) => {
        if (job)
          await measured(deps.log, QUEUES.export, job.data.id, () =>
            runExportJob(handlerDeps, job.data.id, AbortSignal.any([job.signal, stopping.signal])),
          );
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
  if (work.size > 0) {
    await boss.schedule(QUEUES.upkeep, UPKEEP_CRON);
    await boss.work(QUEUES.upkeep, { pollingIntervalSeconds: 5 }, async () => {
      await runUpkeep(deps);
    });
  }
  return {
    ...queue,
    async stop() {
      stopping.abort();
      await queue.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
      await models.close();
    },
  };
}
