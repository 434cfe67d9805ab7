"use client";

import { useQuery } from "../graphql/useQuery";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { Swatch } from "../ui/ClassLabel";
import { formatCount } from "../ui/format";
import { COMPARE_RUNS, PREDICTION_RUN } from "./predictions.graphql";
import { deltaTone, formatDelta, formatMetric, largestChange } from "./evaluationChart";

/** Two runs class by class; the class whose AP50 moved most is highlighted. */
export function CompareRunsView({
  baseRunId,
  otherRunId,
}: {
  baseRunId: string;
  otherRunId: string;
}) {
  const comparison = useQuery(COMPARE_RUNS, { baseRunId, otherRunId });
  const a = useQuery(PREDICTION_RUN, { id: baseRunId }).data?.predictionRun;
  const b = useQuery(PREDICTION_RUN, { id: otherRunId }).data?.predictionRun;
  const nameA = a?.name || "A";
  const nameB = b?.name || "B";

  return (
    <main className="page page--wide predictions">
      <section className="card section">
        <h2>
          {nameA} → {nameB}
        </h2>
        <p className="muted">AP per class of each run and the change (B − A).</p>
        <QueryView
          error={comparison.error}
          data={comparison.data?.compareRuns}
          onRetry={comparison.refetch}
          loading="Evaluating both runs…"
        >
          {(result) => {
            const marked = largestChange(result.classes);
            return (
              <>
                <p>
                  mAP50 {formatMetric(result.base.map50)} → {formatMetric(result.other.map50)} ·
                  mAP50:95 {formatMetric(result.base.map)} → {formatMetric(result.other.map)} (
                  {formatDelta(result.mapDelta)})
                </p>
                <DataTable
                  testId="compare-classes"
                  rows={result.classes}
                  rowKey={(c) => c.defectClass.id}
                  rowProps={(c) => ({
                    "data-class": c.defectClass.name,
                    className: c === marked ? "predictions__marked" : undefined,
                  })}
                  columns={[
                    {
                      header: "Class",
                      rowHeader: true,
                      cell: (c) => (
                        <>
                          <Swatch color={c.defectClass.color} /> {c.defectClass.name}
                          {c === marked && (
                            <span className="predictions__badge">largest change</span>
                          )}
                        </>
                      ),
                    },
                    { header: "Truths", numeric: true, cell: (c) => formatCount(c.truths) },
                    {
                      header: `AP50 ${nameA}`,
                      numeric: true,
                      cell: (c) => formatMetric(c.base.ap50),
                    },
                    {
                      header: `AP50 ${nameB}`,
                      numeric: true,
                      cell: (c) => formatMetric(c.other.ap50),
                    },
                    {
                      header: "ΔAP50",
                      numeric: true,
                      cell: (c) => formatDelta(c.ap50Delta),
                      cellProps: (c) => ({
                        className: `predictions__delta--${deltaTone(c.ap50Delta)}`,
                      }),
                    },
                    { header: `AP ${nameA}`, numeric: true, cell: (c) => formatMetric(c.base.ap) },
                    { header: `AP ${nameB}`, numeric: true, cell: (c) => formatMetric(c.other.ap) },
                    {
                      header: "ΔAP",
                      numeric: true,
                      cell: (c) => formatDelta(c.apDelta),
                      cellProps: (c) => ({
                        className: `predictions__delta--${deltaTone(c.apDelta)}`,
                      }),
                    },
                  ]}
                />
              </>
            );
          }}
        </QueryView>
      </section>
    </main>
  );
}
