"use client";

import { useEffect, useRef, useState } from "react";

type Status = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

/**
 * Polls a background job (import, export) until it succeeds or fails. A failed poll keeps the
 * last known job on screen and tries again on the next tick: the job runs on the server anyway.
 */
export function usePolledJob<T extends { status: Status }>(
  id: string | null,
  fetchJob: (id: string) => Promise<T | null>,
  intervalMs = 1000,
): { job: T | null; error: unknown; missing: boolean } {
  const [job, setJob] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [missing, setMissing] = useState(false);
  const fetchRef = useRef(fetchJob);
  fetchRef.current = fetchJob;

  useEffect(() => {
    setJob(null);
    setError(undefined);
    setMissing(false);
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await fetchRef.current(id);
        if (stopped) return;
        setError(undefined);
        if (!next) {
          setMissing(true);
          return;
        }
        setJob(next);
        if (next.status === "SUCCEEDED" || next.status === "FAILED") return;
      } catch (caught) {
        if (stopped) return;
        setError(caught);
      }
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, intervalMs]);

  return { job, error, missing };
}
