// How a command follows a background job (a fill, an import, an export) to its end: the API pushes
// each change over its graphql-ws subscription as it is committed. Polling is only the fallback,
// taken quietly when the socket cannot be opened or closes before the job ends. Either way the end
// state is read by one last query, so what a command reports is exactly what the API holds.
import { createClient } from "graphql-ws";
import type { ApiClient } from "./api-client.ts";

export type Job = { id: string; status: string };

export interface FollowOptions<T extends Job> {
  /** A subscription of one variable, `$id`, whose root field emits the job on each change. */
  subscription: string;
  /** That root field, e.g. `importJobUpdated`. */
  field: string;
  /** Reads the job by query; throws when it is gone. */
  read: (id: string) => Promise<T>;
  /** Each state seen on the way, pushed or read. */
  onProgress?: (job: T) => void;
  /** Seconds between reads when polling. */
  pollSeconds?: number;
}

/** A socket that does not acknowledge, or stops answering pings, counts as dropped. */
const ACK_TIMEOUT_MS = 10_000;
const PING_EVERY_MS = 15_000;
const PONG_TIMEOUT_MS = 10_000;

/** Queued and running jobs still move; any other status is final. */
const isActive = (job: Job) => job.status === "QUEUED" || job.status === "RUNNING";

/** Follows the job until it ends and returns its end state as read by query. */
export async function followJob<T extends Job>(
  client: ApiClient,
  started: T,
  options: FollowOptions<T>,
): Promise<T> {
  // Without a WebSocket implementation the client cannot even be made: poll then too.
  if (isActive(started)) await pushedUntilEnd(client, started.id, options).catch(() => {});
  // After the pushed end this is the one exact read; after a lost socket, the polling.
  let job = await options.read(started.id);
  options.onProgress?.(job);
  while (isActive(job)) {
    await new Promise((resolve) => setTimeout(resolve, (options.pollSeconds ?? 0.5) * 1000));
    job = await options.read(started.id);
    options.onProgress?.(job);
  }
  return job;
}

/**
 * Resolves when the subscription reports the job ended, or as soon as the socket fails, closes or
 * completes before that (the caller then polls).
 */
function pushedUntilEnd<T extends Job>(
  client: ApiClient,
  id: string,
  options: FollowOptions<T>,
): Promise<void> {
  return new Promise((resolve) => {
    let socket: WebSocket | undefined;
    let pongTimer: NodeJS.Timeout | undefined;
    let ended = false;
    let unsubscribe = () => {};
    const sockets = createClient({
      url: client.socketUrl,
      connectionParams: () => client.connectionParams(),
      retryAttempts: 0,
      connectionAckWaitTimeout: ACK_TIMEOUT_MS,
      keepAlive: PING_EVERY_MS,
      on: {
        connected: (connected) => (socket = connected as WebSocket),
        ping: (received) => {
          if (!received)
            pongTimer = setTimeout(() => socket?.close(4408, "no pong"), PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(pongTimer);
      unsubscribe();
      // Disposing a socket that is still connecting rejects; there is nothing left to close then.
      Promise.resolve(sockets.dispose()).catch(() => {});
      resolve();
    };
    unsubscribe = sockets.subscribe<Record<string, T>>(
      { query: options.subscription, variables: { id } },
      {
        next: (result) => {
          const job = result.data?.[options.field];
          if (!job || ended) return;
          options.onProgress?.(job);
          if (!isActive(job)) end();
        },
        error: end,
        complete: end,
      },
    );
  });
}
