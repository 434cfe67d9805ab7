"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "../graphql/useQuery";
import { useDataset } from "../datasets/DatasetContext";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { Swatch } from "../ui/ClassLabel";
import { formatCount } from "../ui/format";
import {
  EVALUATION,
  PREDICTION_RUN,
  type ClassEvaluation,
  type Evaluation,
} from "./predictions.graphql";
import { curvePath, formatMetric, heatColor, rowShare, type Plot } from "./evaluationChart";

/** A run scored against the split's labels, at a chosen confidence. */
export function EvaluationView({ runId }: { runId: string }) {
  const { dataset } = useDataset();
  const [confidence, setConfidence] = useState(0.5);
  const run = useQuery(PREDICTION_RUN, { id: runId });
  const evaluation = useQuery(EVALUATION, { runId, iou: 0.5, confidence });
  const base = `/datasets/${dataset.id}/predictions`;

  return (
    <main className="page page--wide predictions">
      <section className="card section">
        <div className="section__header">
          <div>
            <h2 data-testid="evaluation-title">{run.data?.predictionRun?.name || "Evaluation"}</h2>
            <p className="muted">
              COCO AP at IoU .50 and .50:.95 (101-point); precision, recall and F1 from the chosen
              confidence at IoU .50. Truths are the current labels of the split&apos;s real images.
            </p>
          </div>
          <div className="predictions__toolbar">
            <label className="predictions__slider">
              Confidence {confidence.toFixed(2)}
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={confidence}
                onChange={(e) => setConfidence(Number(e.target.value))}
                data-testid="confidence-slider"
              />
            </label>
            <Link
              className="button button--primary"
              href={`${base}/${runId}/queue`}
              data-testid="open-queue"
            >
              Label-error queue
            </Link>
          </div>
        </div>
        <QueryView
          error={evaluation.error}
          data={evaluation.data?.evaluation}
          keepDataOnError
          onRetry={evaluation.refetch}
          loading="Evaluating…"
        >
          {(e) => <EvaluationBody evaluation={e} />}
        </QueryView>
      </section>
    </main>
  );
}

function EvaluationBody({ evaluation }: { evaluation: Evaluation }) {
  return (
    <>
      <p data-testid="evaluation-summary">
        {formatCount(evaluation.images)} images · mAP50{" "}
        <strong>{formatMetric(evaluation.map50)}</strong> · mAP50:95{" "}
        <strong>{formatMetric(evaluation.map)}</strong>
      </p>
      <DataTable
        testId="evaluation-classes"
        rows={evaluation.classes}
        rowKey={(c) => c.defectClass.id}
        rowProps={(c) => ({ "data-class": c.defectClass.name })}
        columns={[
          {
            header: "Class",
            rowHeader: true,
            cell: (c) => (
              <>
                <Swatch color={c.defectClass.color} /> {c.defectClass.name}
              </>
            ),
          },
          { header: "Truths", numeric: true, cell: (c) => formatCount(c.truths) },
          { header: "Predictions", numeric: true, cell: (c) => formatCount(c.predictions) },
          {
            header: "AP50",
            numeric: true,
            cell: (c) => formatMetric(c.ap50),
            cellProps: () => ({ "data-metric": "ap50" }),
          },
          { header: "AP50:95", numeric: true, cell: (c) => formatMetric(c.ap) },
          {
            header: "P",
            title: "Precision",
            numeric: true,
            cell: (c) => formatMetric(c.precision),
          },
          { header: "R", title: "Recall", numeric: true, cell: (c) => formatMetric(c.recall) },
          { header: "F1", numeric: true, cell: (c) => formatMetric(c.f1) },
          { header: "FP", title: "False positives", numeric: true, cell: (c) => c.falsePositives },
          { header: "FN", title: "False negatives", numeric: true, cell: (c) => c.falseNegatives },
        ]}
      />
      <div className="predictions__charts">
        <PrChart classes={evaluation.classes} />
        <ConfusionMatrix labels={evaluation.confusionLabels} matrix={evaluation.confusion} />
      </div>
    </>
  );
}

const PLOT: Plot = { width: 320, height: 320, padding: 32 };

/** One precision-recall curve per class with truths, in the class's colour. */
function PrChart({ classes }: { classes: ClassEvaluation[] }) {
  const drawn = classes.filter((c) => c.curve.length > 0);
  const inner = PLOT.width - 2 * PLOT.padding;
  return (
    <figure className="predictions__figure">
      <figcaption>Precision–recall at IoU .50</figcaption>
      <svg
        viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
        role="img"
        aria-label="Precision-recall curves"
        data-testid="pr-chart"
      >
        <rect
          x={PLOT.padding}
          y={PLOT.padding}
          width={inner}
          height={inner}
          fill="none"
          stroke="currentColor"
          opacity={0.3}
        />
        {[0, 0.5, 1].map((t) => (
          <g key={t} fontSize={10} fill="currentColor">
            <text x={PLOT.padding + t * inner} y={PLOT.height - 12} textAnchor="middle">
              {t}
            </text>
            <text x={PLOT.padding - 6} y={PLOT.padding + (1 - t) * inner + 3} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {drawn.map((c) => (
          <path
            key={c.defectClass.id}
            d={curvePath(c.curve, PLOT)}
            fill="none"
            stroke={c.defectClass.color}
            strokeWidth={2}
          >
            <title>{c.defectClass.name}</title>
          </path>
        ))}
      </svg>
      <ul className="predictions__legend">
        {drawn.map((c) => (
          <li key={c.defectClass.id}>
            <Swatch color={c.defectClass.color} /> {c.defectClass.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Rows are labels, columns predictions; the last of each is background. Heat is the row share. */
function ConfusionMatrix({ labels, matrix }: { labels: string[]; matrix: number[][] }) {
  return (
    <figure className="predictions__figure">
      <figcaption>Confusion matrix (rows: labels, columns: predictions)</figcaption>
      <table className="table predictions__matrix" data-testid="confusion-matrix">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Label</span>
            </th>
            {labels.map((l) => (
              <th key={l} scope="col">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, r) => (
            <tr key={labels[r]}>
              <th scope="row">{labels[r]}</th>
              {row.map((count, c) => (
                <td key={c} style={{ background: heatColor(rowShare(matrix, r, c), r === c) }}>
                  {count}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
