// Queue names and the enqueue interface the API sees (kept apart from index.ts, which imports the
// handlers, so that services can enqueue without an import cycle).
export const QUEUES = { import: "gridfill-import", export: "gridfill-export" } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What the API needs from the job runner: a way to enqueue. */
export interface JobQueue {
  send(queue: QueueName, data: { id: string }): Promise<void>;
}
