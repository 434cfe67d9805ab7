"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "../graphql/useQuery";
import { useDataset } from "../datasets/DatasetContext";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { VERSIONS } from "../versions/versions.graphql";
import { EmptyState } from "../ui/states";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { formatCount, formatDateTime, titleCase } from "../ui/format";
import { PREDICTION_RUNS, type PredictionRun } from "./predictions.graphql";
import { ImportPredictionsDialog } from "./ImportPredictionsDialog";
import { PrelabelDialog } from "./PrelabelDialog";
import { RunDetectorDialog } from "./RunDetectorDialog";

const finished = (run: PredictionRun) => run.status === "SUCCEEDED" || run.status === "FAILED";

/** The dataset's prediction runs: import one or run a detector, open its evaluation, compare two. */
export function PredictionRunsView() {
  const { dataset } = useDataset();
  const user = useSessionUser();
  const canEdit = hasRole(user, "CURATOR");
  const runs = useQuery(PREDICTION_RUNS, { datasetId: dataset.id });
  const versions = useQuery(VERSIONS, { datasetId: dataset.id });
  const [importing, setImporting] = useState(false);
  const [detecting, setDetecting] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [prelabelling, setPrelabelling] = useState<PredictionRun | null>(null);
  const list = runs.data?.predictionRuns.edges.map((e) => e.node) ?? [];
  const pending = list.some((run) => !finished(run));
  const { refetch } = runs;

  // A queued or running import or detector run is followed until it ends.
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void refetch(), 1000);
    return () => clearInterval(timer);
  }, [pending, refetch]);

  const base = `/datasets/${dataset.id}/predictions`;
  const toggle = (id: string) =>
    setSelected((previous) =>
      previous.includes(id) ? previous.filter((v) => v !== id) : [...previous, id].slice(-2),
    );

  return (
    <main className="page page--wide predictions">
      <section className="card section">
        <div className="section__header">
          <div>
            <h2>Predictions</h2>
            <p className="muted">
              A detector&apos;s predictions on a version&apos;s split, scored against the labels: AP
              per class, where the model and the labels disagree, and whether a fill paid off.
            </p>
          </div>
          {canEdit && (
            <div className="toolbar">
              <button
                type="button"
                className="button"
                disabled={!versions.data}
                onClick={() => setDetecting(true)}
                data-testid="predictions-run-detector"
              >
                Run a detector…
              </button>
              <button
                type="button"
                className="button button--primary"
                disabled={!versions.data?.versions.length}
                title={versions.data?.versions.length ? undefined : "Create a version first"}
                onClick={() => setImporting(true)}
                data-testid="predictions-import"
              >
                Import predictions
              </button>
            </div>
          )}
        </div>
        <QueryView
          error={runs.error}
          data={runs.data ? list : undefined}
          keepDataOnError
          onRetry={refetch}
          loading="Loading runs…"
          isEmpty={(rows) => rows.length === 0}
          empty={
            <EmptyState title="No prediction runs yet" testId="predictions-empty">
              <p className="muted">
                Train a detector on an exported version, then import its predictions on the test
                split, or run its ONNX file here on a worker.
              </p>
            </EmptyState>
          }
        >
          {(rows) => (
            <>
              <DataTable
                testId="prediction-runs"
                rows={rows}
                rowKey={(run) => run.id}
                rowProps={(run) => ({ "data-status": run.status, "data-run": run.id })}
                columns={[
                  {
                    header: "Compare",
                    hideHeader: true,
                    cell: (run) =>
                      run.status === "SUCCEEDED" && (
                        <input
                          type="checkbox"
                          aria-label={`Compare ${run.name}`}
                          checked={selected.includes(run.id)}
                          onChange={() => toggle(run.id)}
                        />
                      ),
                  },
                  {
                    header: "Run",
                    rowHeader: true,
                    cell: (run) =>
                      run.status === "SUCCEEDED" ? (
                        <Link href={`${base}/${run.id}`} data-testid="run-link">
                          {run.name || run.id.slice(0, 8)}
                        </Link>
                      ) : (
                        run.name || run.id.slice(0, 8)
                      ),
                  },
                  { header: "Version", numeric: true, cell: (run) => run.versionNumber },
                  { header: "Split", cell: (run) => titleCase(run.split) },
                  { header: "Status", cell: (run) => <RunStatusCell run={run} /> },
                  {
                    header: "Predictions",
                    numeric: true,
                    cell: (run) => (
                      <span data-testid="run-predictions">{formatCount(run.predictionCount)}</span>
                    ),
                  },
                  { header: "Created", cell: (run) => formatDateTime(run.createdAt) },
                  canEdit && {
                    header: "Actions",
                    hideHeader: true,
                    cell: (run: PredictionRun) =>
                      run.status === "SUCCEEDED" && (
                        <button
                          type="button"
                          className="button"
                          onClick={() => setPrelabelling(run)}
                          data-testid="prelabel-open"
                        >
                          Pre-label…
                        </button>
                      ),
                  },
                ]}
              />
              <div className="predictions__compare">
                <span className="muted">Tick two runs to compare them class by class.</span>
                {selected.length === 2 ? (
                  <Link
                    className="button"
                    href={`${base}/compare/${selected[0]}/${selected[1]}`}
                    data-testid="compare-runs"
                  >
                    Compare
                  </Link>
                ) : (
                  <button type="button" className="button" disabled>
                    Compare
                  </button>
                )}
              </div>
            </>
          )}
        </QueryView>
      </section>
      {canEdit && <PrelabelDialog run={prelabelling} onClose={() => setPrelabelling(null)} />}
      {canEdit && versions.data && (
        <ImportPredictionsDialog
          datasetId={dataset.id}
          versions={versions.data.versions.map((v) => v.number)}
          open={importing}
          onClose={() => setImporting(false)}
          onStarted={() => void refetch()}
        />
      )}
      {canEdit && versions.data && (
        <RunDetectorDialog
          datasetId={dataset.id}
          versions={versions.data.versions.map((v) => v.number)}
          open={detecting}
          onClose={() => setDetecting(false)}
          onStarted={() => void refetch()}
        />
      )}
    </main>
  );
}

function RunStatusCell({ run }: { run: PredictionRun }) {
  // A detector run counts its images as it goes, an import its predictions as it writes them.
  if (run.status === "RUNNING" && run.total)
    return (
      <span data-testid="run-status">
        Running · {formatCount(run.done)} / {formatCount(run.total)}
      </span>
    );
  if (run.status !== "FAILED") return <span data-testid="run-status">{titleCase(run.status)}</span>;
  return (
    <details data-testid="run-status">
      <summary>Refused ({run.errors.length})</summary>
      <ul className="predictions__errors">
        {run.errors.slice(0, 20).map((e, i) => (
          <li key={i}>
            <code>{e.file}</code> {e.code}: {e.message}
          </li>
        ))}
      </ul>
    </details>
  );
}
