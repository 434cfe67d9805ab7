// Background jobs on the platform's own PostgreSQL (pg-boss, schema `pgboss`): imports and exports
// run here, outside any request. pg-boss gives at-least-once delivery; the handlers are idempotent
// and resume from their checkpoints, so a job picked up again after a crash finishes the work.
import { PgBoss } from "pg-boss";
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "../log.ts";
import { runImportJob } from "../imports/job.ts";
import { runExportJob } from "../exports/job.ts";

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

export async function startJobs(deps: JobDeps): Promise<RunningJobs> {
  const boss = new PgBoss({ connectionString: deps.databaseUrl, schema: "pgboss", max: 4 });
  boss.on("error", (error) => deps.log.error("job queue error", { error: String(error) }));
  await boss.start();
  // A job that outlives its expiry (a crashed worker) is retried; the handlers resume.
  const queueOptions = { retryLimit: 3, retryDelay: 5, expireInSeconds: 6 * 3600 };
  await boss.createQueue(QUEUES.import, queueOptions);
  await boss.createQueue(QUEUES.export, queueOptions);
  const handlerDeps = { ...deps };
  await boss.work<{ id: string }>(
    QUEUES.import,
    { pollingIntervalSeconds: 0.5, localConcurrency: 2 },
    async ([job]) => {
      if (job) await runImportJob(handlerDeps, job.data.id);
    },
  );
  await boss.work<{ id: string }>(
    QUEUES.export,
    { pollingIntervalSeconds: 0.5, localConcurrency: 2 },
    async ([job]) => {
      if (job) await runExportJob(handlerDeps, job.data.id);
    },
  );
  return {
    boss,
    async send(queue, data) {
      await boss.send(queue, data);
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 15_000 });
    },
  };
}
