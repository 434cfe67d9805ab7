"use client";

import { useEffect, useRef, useState } from "react";
import { createClient } from "graphql-ws";
import type { Operation } from "./client";
import { usePolledJob } from "./usePolledJob";

type Status = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

/** The same-origin graphql-ws endpoint (the console's proxy forwards /graphql to the API). */
export function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

/**
 * A background job (import, export) kept current: pushed over a graphql-ws subscription until it
 * finishes, polled only when the socket cannot be had or drops before the job is done.
 */
export function useLiveJob<T extends { status: Status }, K extends string>(
  id: string | null,
  fetchJob: (id: string) => Promise<T | null>,
  subscription: Operation<Record<K, T>, { id: string }>,
  field: K,
): { job: T | null; error: unknown; missing: boolean; live: boolean } {
  const [pushed, setPushed] = useState<T | null>(null);
  const [polling, setPolling] = useState(false);
  const finishedRef = useRef(false);

  useEffect(() => {
    setPushed(null);
    setPolling(false);
    finishedRef.current = false;
    if (!id) return;
    let disposed = false;
    const fallBack = () => {
      if (!disposed && !finishedRef.current) setPolling(true);
    };
    let client: ReturnType<typeof createClient>;
    try {
      client = createClient({ url: socketUrl(), retryAttempts: 0, on: { closed: fallBack } });
    } catch {
      setPolling(true);
      return;
    }
    const unsubscribe = client.subscribe<Record<K, T>>(
      { query: subscription.document, variables: { id } },
      {
        next: (result) => {
          const job = result.data?.[field];
          if (!job || disposed) return;
          if (job.status === "SUCCEEDED" || job.status === "FAILED") finishedRef.current = true;
          setPushed(job);
        },
        error: fallBack,
        complete: fallBack,
      },
    );
    return () => {
      disposed = true;
      unsubscribe();
      // As in useLiveFillRequests: a socket closed while connecting makes dispose() reject.
      Promise.resolve(client.dispose()).catch(() => {});
    };
  }, [id, subscription, field]);

  const polled = usePolledJob(polling ? id : null, fetchJob);
  const job = polling ? (polled.job ?? pushed) : pushed;
  return {
    job,
    error: polling ? polled.error : undefined,
    missing: polled.missing,
    live: !polling,
  };
}
