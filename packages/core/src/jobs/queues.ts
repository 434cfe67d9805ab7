// The job queue on the platform's own PostgreSQL (pg-boss, schema `pgboss`): queue names, their
// options, and the enqueue side. The API opens the queue to send; the worker (apps/worker) opens
// the same queue and works on it. pg-boss gives at-least-once delivery; the handlers are
// idempotent and resume from their checkpoints.
import { PgBoss } from "pg-boss";
import type { Config } from "@gridfill/config";
import type { Pool, Prisma } from "@gridfill/db";
import { poolDatabase } from "./pool-database.ts";
import type { Logger } from "../log.ts";
import type { Actor } from "../context.ts";
import { DomainError, type Result } from "../errors.ts";

export const QUEUES = {
  import: "gridfill-import",
  export: "gridfill-export",
  fill: "gridfill-fill",
  /** Replays one lineage row on the worker; the API waits for the job's output. */
  regenerate: "gridfill-regenerate",
  /** Renders a few samples of a fill without writing rows; the API waits for the job's output. */
  preview: "gridfill-preview",
  /** Imports a prediction run's file (and, later, runs a registered detector). */
  predictions: "gridfill-predictions",
  /** Periodic chores (upload sweep, orphaned job rows), on a schedule: one run per cluster. */
  upkeep: "gridfill-upkeep",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What services need from the queue: a way to enqueue. */
export interface JobQueue {
  /**
   * Enqueues a job and returns its id. With `tx`, the job is inserted through that transaction and
   * exists only if it commits (the row that asked for it and its job go together).
   */
  send(
    queue: QueueName,
    data: JobData,
    options?: { tx?: Prisma.TransactionClient },
  ): Promise<string | null>;
  /**
   * Waits for a job's output (a `Result` the handler returned) and unwraps it: a failed result
   * becomes its DomainError. For short jobs whose caller waits, such as regenerate.
   */
  result<T>(queue: QueueName, jobId: string, timeoutMs?: number): Promise<T>;
}

/** A job carries ids only; the handler re-reads the rows. `actor` names who asked, for the audit. */
export type JobData = { id: string; actor?: Actor };

/** Attempts of a fill job after the first (a dead worker's job counts one). */
export const FILL_RETRY_LIMIT = 10;
/** Attempts of an import or export after the first (a dead or stopped worker's job counts one). */
export const WORK_RETRY_LIMIT = 10;

/**
 * Every long job sends heartbeats (pg-boss refreshes them while the handler runs): with none for
 * this long, the supervisor (every GRIDFILL_JOB_SUPERVISE_SECONDS) hands the job to another worker.
 */
export const HEARTBEAT_SECONDS = 10;
export const HEARTBEAT_REFRESH_SECONDS = 5;
/** When the upkeep job runs (cron, UTC). */
export const UPKEEP_CRON = "* * * * *";

export interface OpenQueue extends JobQueue {
  boss: PgBoss;
  stop(options?: { graceful?: boolean; timeout?: number }): Promise<void>;
}

export interface QueueDeps {
  config: Config;
  log: Logger;
  databaseUrl: string;
  /** The process's pool: the queue runs on it instead of opening one of its own. */
  pool?: Pool;
}

/** Opens the queue (creating or updating the queues' options) for sending; no job is worked here. */
export async function openQueue(deps: QueueDeps): Promise<OpenQueue> {
  const boss = new PgBoss({
    ...(deps.pool
      ? { db: poolDatabase(deps.pool) }
      : { connectionString: deps.databaseUrl, max: 4 }),
    schema: "pgboss",
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
  // Imports, exports, prediction imports: a job whose worker died (no heartbeat) or stopped (it
  // hands the job back) is retried, and the handlers resume. The expiry is only a last bound.
  const workQueue = {
    retryLimit: WORK_RETRY_LIMIT,
    retryDelay: 1,
    expireInSeconds: 6 * 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  };
  // Fills: the same, with a longer expiry.
  const fillQueue = {
    retryLimit: FILL_RETRY_LIMIT,
    retryDelay: 1,
    expireInSeconds: 24 * 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    notify: true,
  };
  // An existing queue takes today's options.
  for (const [name, options] of [
    [QUEUES.import, workQueue],
    [QUEUES.export, workQueue],
    [QUEUES.predictions, workQueue],
    [QUEUES.fill, fillQueue],
  ] as const) {
    await boss.createQueue(name, options);
    await boss.updateQueue(name, options);
  }
  // Upkeep: a missed run is simply the next minute's.
  await boss.createQueue(QUEUES.upkeep, {
    retryLimit: 0,
    expireInSeconds: 300,
    deleteAfterSeconds: 3600,
  });
  // Regenerate and previews: a caller is waiting, so no retry after a failure, and a short expiry.
  for (const name of [QUEUES.regenerate, QUEUES.preview])
    await boss.createQueue(name, {
      retryLimit: 0,
      expireInSeconds: 600,
      deleteAfterSeconds: 3600,
    });
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
    async result<T>(queue: QueueName, jobId: string, timeoutMs = 120_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
        const job = await boss.getJobById<JobData>(queue, jobId);
        if (!job) throw new Error(`job ${jobId} of ${queue} is gone`);
        if (job.state === "completed") {
          const output = job.output as Result<T>;
          if (output.ok) return output.value;
          throw new DomainError(output.code, output.message, output.extensions);
        }
        if (job.state === "failed" || job.state === "cancelled")
          throw new Error(`job ${jobId} of ${queue} ${job.state}: ${JSON.stringify(job.output)}`);
        if (Date.now() > deadline)
          throw new Error(`no worker finished job ${jobId} of ${queue} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
    stop: (options = { graceful: true, timeout: 15_000 }) => boss.stop(options),
  };
}
