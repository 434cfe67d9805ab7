"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { gql, type Operation } from "./client";

export interface QueryState<TData> {
  data: TData | undefined;
  error: unknown;
  loading: boolean;
  /** Re-runs the query; keeps the current data on screen while it loads. */
  refetch: () => Promise<TData | undefined>;
  /** Replaces the cached data locally (optimistic updates). */
  setData: (update: (previous: TData | undefined) => TData | undefined) => void;
}

/**
 * Runs a query when the component mounts and whenever the variables change (compared by JSON).
 * Late answers to superseded variables are dropped.
 */
export function useQuery<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TData> {
  const [data, setDataState] = useState<TData | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(!options.skip);
  const key = JSON.stringify(variables);
  const generation = useRef(0);
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  const run = useCallback(async (): Promise<TData | undefined> => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await gql(op, variablesRef.current);
      if (mine === generation.current) {
        setDataState(result);
        setError(undefined);
      }
      return result;
    } catch (caught) {
      if (mine === generation.current) setError(caught);
      return undefined;
    } finally {
      if (mine === generation.current) setLoading(false);
    }
    // `key` stands for the variables: a new key means a new query.
  }, [op, key]);

  useEffect(() => {
    if (options.skip) return;
    void run();
    return () => {
      generation.current++;
    };
  }, [run, options.skip]);

  const setData = useCallback((update: (previous: TData | undefined) => TData | undefined) => {
    setDataState((previous) => update(previous));
  }, []);

  return { data, error, loading, refetch: run, setData };
}
