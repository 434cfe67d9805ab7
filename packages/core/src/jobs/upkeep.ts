// Periodic chores and the recovery of jobs a dead process left behind. The chores run as a pg-boss
// schedule (the `upkeep` queue, every minute): pg-boss creates one job per occurrence for the whole
// cluster, so N API replicas and M workers run one sweep, not N racing ones.
//
// Recovery has two halves. A job whose worker dies stops sending heartbeats and the queue's
// supervisor hands it to another worker; jobs created before heartbeats existed carry none, so
// `watchUnwatchedJobs` gives them one at start. And an import or export row whose job is gone or
// spent its retries would stay RUNNING for ever: `failOrphanedRows` marks it FAILED.
import type { PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "../log.ts";
import { sweepExpiredUploads } from "../images/uploads.ts";
import { HEARTBEAT_SECONDS, QUEUES } from "./queues.ts";

export interface UpkeepDeps {
  prisma: PrismaClient;
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

/** One run of the periodic chores. */
export async function runUpkeep(deps: UpkeepDeps): Promise<void> {
  const swept = await sweepExpiredUploads(deps);
  const orphaned = await failOrphanedRows(deps.prisma);
  if (swept || orphaned.length)
    deps.log.info("upkeep", { expiredUploads: swept, orphanedJobs: orphaned.join(",") });
}
