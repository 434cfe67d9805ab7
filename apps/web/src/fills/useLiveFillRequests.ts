"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createClient, type Client } from "graphql-ws";
import { gql } from "../graphql/client";
import { FILL_REQUESTS, FILL_REQUESTS_UPDATED, type FillRequest } from "./fills.graphql";

export type LiveMode = "connecting" | "live" | "polling";

const POLL_MS = 2000;
const LIST_SIZE = 50;

/** The same-origin graphql-ws endpoint (the console's proxy forwards /graphql to the API). */
function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

/** Newest first, as the API lists them; an update replaces its request in place. */
export function mergeFillRequest(list: FillRequest[], update: FillRequest): FillRequest[] {
  const index = list.findIndex((entry) => entry.id === update.id);
  if (index === -1) return [update, ...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const next = [...list];
  // Out-of-order pushes must not move progress backwards.
  const current = next[index]!;
  next[index] =
    update.completed < current.completed && update.status === current.status ? current : update;
  return next;
}

/**
 * The dataset's fill requests, kept current: pushed over the graphql-ws subscription
 * `fillRequestsUpdated` while the socket is up, polled every 2 s whenever it is not.
 */
export function useLiveFillRequests(datasetId: string): {
  requests: FillRequest[] | undefined;
  error: unknown;
  mode: LiveMode;
  refetch: () => Promise<void>;
  replace: (request: FillRequest) => void;
} {
  const [requests, setRequests] = useState<FillRequest[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [mode, setMode] = useState<LiveMode>("connecting");
  const generation = useRef(0);

  const refetch = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await gql(FILL_REQUESTS, { datasetId, first: LIST_SIZE });
      if (mine !== generation.current) return;
      setRequests(data.fillRequests);
      setError(undefined);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    }
  }, [datasetId]);

  const replace = useCallback((request: FillRequest) => {
    setRequests((previous) => (previous ? mergeFillRequest(previous, request) : [request]));
  }, []);

  // The subscription: connected → live; closed or refused → polling until it reconnects.
  useEffect(() => {
    let disposed = false;
    // A refused subscription (not a dropped socket) is not retried: poll for good then.
    let refused = false;
    let client: Client | undefined;
    try {
      client = createClient({
        url: socketUrl(),
        lazy: false,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        on: {
          connected: () => {
            if (disposed || refused) return;
            setMode("live");
            // Catch up on whatever moved while the socket was down.
            void refetch();
          },
          closed: () => {
            if (!disposed) setMode("polling");
          },
          error: () => {
            if (!disposed) setMode("polling");
          },
        },
      });
    } catch {
      setMode("polling");
      return;
    }
    const unsubscribe = client.subscribe<{ fillRequestsUpdated: FillRequest }>(
      { query: FILL_REQUESTS_UPDATED.document, variables: { datasetId } },
      {
        next: (result) => {
          const update = result.data?.fillRequestsUpdated;
          if (update && !disposed) replace(update);
        },
        error: () => {
          refused = true;
          if (!disposed) setMode("polling");
        },
        complete: () => {
          refused = true;
          if (!disposed) setMode("polling");
        },
      },
    );
    return () => {
      disposed = true;
      unsubscribe();
      // dispose() awaits a connection still being made and rejects with its CloseEvent when that
      // socket was closed: nothing is left to close then, and nobody else would handle it.
      Promise.resolve(client?.dispose()).catch(() => {});
    };
  }, [datasetId, refetch, replace]);

  // The first load, and polling whenever the socket is not carrying updates.
  useEffect(() => {
    void refetch();
    if (mode === "live") return;
    const timer = setInterval(() => void refetch(), POLL_MS);
    return () => clearInterval(timer);
  }, [mode, refetch]);

  return { requests, error, mode, refetch, replace };
}
