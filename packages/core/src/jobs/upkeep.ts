// Periodic chores and the recovery of jobs a dead process left behind. The chores run as a pg-boss
// schedule (the `upkeep` queue, every minute): pg-boss creates one job per occurrence for the whole
// cluster, so N API replicas and M workers run one sweep, not N racing ones. The chores: expired
// and abandoned uploads, import and export rows whose job can no longer run, and the monthly Reading partitions
// (the months ahead are created, and with GRIDFILL_READING_RETENTION_DAYS the old ones dropped).
//
// Recovery has two halves. A job whose worker dies stops sending heartbeats and the queue's
// supervisor hands it to another worker; jobs created before heartbeats existed carry none, so
// `watchUnwatchedJobs` gives them one at start. And an import or export row whose job is gone or
// spent its retries would stay RUNNING for ever: `failOrphanedRows` marks it FAILED.
import { dropReadingsBefore, ensureReadingPartitions } from "@gridfill/db";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "../log.ts";
import { sweepExpiredUploads } from "../images/uploads.ts";
import { HEARTBEAT_SECONDS, QUEUES } from "./queues.ts";

export interface UpkeepDeps {
  prisma: PrismaClient;
  /** The process's pool: partition changes take a connection of their own for their lock. */
  pool: Pool;
  storage: Storage;
  config: Config;
  log: Logger;
}

/** Queues whose jobs must send heartbeats. */
const WATCHED_QUEUES = [QUEUES.import, QUEUES.export, QUEUES.predictions, QUEUES.fill];

/**
 * Active jobs without a heartbeat (created before these queues had one) get one, dated from their
 * start: if no worker refreshes it, the supervisor's next pass hands them back to the queue.
 */
export async function watchUnwatchedJobs(prisma: PrismaClient): Promise<number> {
  return prisma.$executeRaw`
    UPDATE pgboss.job SET heartbeat_seconds = ${HEARTBEAT_SECONDS},
      heartbeat_on = COALESCE(heartbeat_on, started_on)
    WHERE name = ANY(${WATCHED_QUEUES}::text[]) AND state = 'active' AND heartbeat_seconds IS NULL`;
}

const ORPHANED = "the worker running it stopped and the job cannot be resumed; start it again";

/**
 * Import and export rows still QUEUED or RUNNING whose job is no longer waiting or running (its
 * retries are spent, or it was removed) become FAILED. A row and its job are written in one
 * transaction, so a live row always has its job.
 */
export async function failOrphanedRows(prisma: PrismaClient): Promise<string[]> {
  const failed: string[] = [];
  for (const [table, queue] of [
    ["ImportJob", QUEUES.import],
    ["ExportJob", QUEUES.export],
  ] as const) {
    const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "${table}" r SET status = 'FAILED', "finishedAt" = now(), message = $2, "updatedAt" = now()
       WHERE r.status IN ('QUEUED', 'RUNNING') AND NOT EXISTS (
         SELECT 1 FROM pgboss.job j
         WHERE j.name = $1 AND j.data->>'id' = r.id::text AND j.state IN ('created', 'retry', 'active'))
       RETURNING r.id::text AS id`,
      queue,
      ORPHANED,
    );
    failed.push(...rows.map((r) => r.id));
  }
  return failed;
}

/** Months of Reading partitions the upkeep keeps ready: from last month (late readings) on. */
export const READING_PARTITION_MONTHS = 4;

/**
 * Makes sure the Reading partitions exist from last month to two months ahead (idempotent: where
 * they all exist it costs one catalog query), and with a retention drops the months entirely older
 * than it and deletes older stray rows of the default partition.
 */
export async function maintainReadingPartitions(
  deps: Pick<UpkeepDeps, "pool" | "config">,
  now = new Date(),
): Promise<{ created: string[]; dropped: string[]; deleted: number }> {
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const created = await ensureReadingPartitions(deps.pool, lastMonth, READING_PARTITION_MONTHS);
  const days = deps.config.readingRetentionDays;
  const { dropped, deleted } = days
    ? await dropReadingsBefore(deps.pool, new Date(now.getTime() - days * 86_400_000))
    : { dropped: [], deleted: 0 };
  return { created, dropped, deleted };
}

/** An upload no ticket or job needs any more is removed once it is this old. */
export const ABANDONED_UPLOAD_MS = 24 * 3600 * 1000;

/**
 * Removes uploads that nothing will read: import and prediction zips (images bucket) whose job is
 * not waiting or running, and model and detector files left in the models bucket's staging folder
 * (registration and runDetector read them at once and remove them), once older than
 * ABANDONED_UPLOAD_MS. A job that finishes removes its own zip; this catches the zips of imports
 * never started, of jobs that failed for good, and bytes PUT again after their job read them.
 */
export async function sweepAbandonedUploads(
  deps: Pick<UpkeepDeps, "prisma" | "storage">,
  now = new Date(),
): Promise<number> {
  const cutoff = now.getTime() - ABANDONED_UPLOAD_MS;
  const live = new Set<string>();
  const rows = await deps.prisma.$queryRaw<{ key: string }[]>`
    SELECT source AS key FROM "ImportJob" WHERE status IN ('QUEUED', 'RUNNING')
    UNION ALL
    SELECT "objectKey" AS key FROM "PredictionRun"
     WHERE status IN ('QUEUED', 'RUNNING') AND "objectKey" IS NOT NULL`;
  for (const row of rows) live.add(row.key);
  let removed = 0;
  for (const [bucket, prefix] of [
    ["images", "imports/"],
    ["images", "predictions/"],
    ["models", "staging/"],
  ] as const) {
    const stale: string[] = [];
    for await (const object of deps.storage.listObjects(bucket, prefix))
      if (object.lastModified.getTime() < cutoff && !live.has(object.key)) stale.push(object.key);
    if (stale.length) await deps.storage.removeMany(bucket, stale);
    removed += stale.length;
  }
  return removed;
}

/** One run of the periodic chores. */
export async function runUpkeep(deps: UpkeepDeps, now = new Date()): Promise<void> {
  // Partitions first, and on their own: a storage outage must not hold them up.
  const partitions = await maintainReadingPartitions(deps, now).catch((error: unknown) => {
    deps.log.warn("could not maintain the Reading partitions", { error: String(error) });
    return { created: [], dropped: [], deleted: 0 };
  });
  if (partitions.created.length || partitions.dropped.length || partitions.deleted)
    deps.log.info("Reading partitions", {
      created: partitions.created.join(","),
      droppedPastRetention: partitions.dropped.join(","),
      deletedPastRetention: partitions.deleted,
    });
  const swept = await sweepExpiredUploads(deps, now);
  const abandoned = await sweepAbandonedUploads(deps, now);
  const orphaned = await failOrphanedRows(deps.prisma);
  if (swept || abandoned || orphaned.length)
    deps.log.info("upkeep", {
      expiredUploads: swept,
      abandonedUploads: abandoned,
      orphanedJobs: orphaned.join(","),
    });
}
