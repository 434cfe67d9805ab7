// Queue names and the enqueue interface the API sees (kept apart from index.ts, which imports the
// handlers, so that services can enqueue without an import cycle).
import type { Prisma } from "@gridfill/db";

export const QUEUES = {
  import: "gridfill-import",
  export: "gridfill-export",
  fill: "gridfill-fill",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What the API needs from the job runner: a way to enqueue. */
export interface JobQueue {
  /**
   * Enqueues a job and returns its id. With `tx`, the job is inserted through that transaction and
   * exists only if it commits (the row that asked for it and its job go together).
   */
  send(
    queue: QueueName,
    data: { id: string },
    options?: { tx?: Prisma.TransactionClient },
  ): Promise<string | null>;
}
