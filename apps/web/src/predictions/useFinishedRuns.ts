"use client";

import { useMemo } from "react";
import { useQuery } from "../graphql/useQuery";
import { PREDICTION_RUNS, type PredictionRun } from "./predictions.graphql";

/** The dataset's prediction runs that finished importing or running: the ones a picker offers. */
export function useFinishedRuns(datasetId: string): PredictionRun[] {
  const runs = useQuery(PREDICTION_RUNS, { datasetId });
  return useMemo(
    () =>
      (runs.data?.predictionRuns.edges ?? [])
        .map((e) => e.node)
        .filter((r) => r.status === "SUCCEEDED"),
    [runs.data],
  );
}
