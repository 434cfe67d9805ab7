"use client";

import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useQuery } from "../graphql/useQuery";
import { SelectField } from "../ui/Field";
import { IMAGE_PREDICTIONS } from "./predictions.graphql";
import { useFinishedRuns } from "./useFinishedRuns";

interface ImagePredictionsPanelProps {
  datasetId: string;
  imageId: string;
  /** Receives the shapes to draw over the image (null: nothing), in image pixels. */
  onOverlay: (overlay: ReactNode) => void;
  /** The run and confidence to start from (the image browser's, when it had one). */
  initialRunId?: string | null;
  initialMinScore?: number;
}

/** A prediction run's boxes on this image, beside its labels, from a confidence the slider sets. */
export function ImagePredictionsPanel({
  datasetId,
  imageId,
  onOverlay,
  initialRunId,
  initialMinScore,
}: ImagePredictionsPanelProps) {
  const finished = useFinishedRuns(datasetId);
  const [runId, setRunId] = useState(initialRunId ?? "");
  const [minScore, setMinScore] = useState(initialMinScore ?? 0.5);
  const predictions = useQuery(IMAGE_PREDICTIONS, { runId, imageId, minScore }, { skip: !runId });
  const shown = useMemo(
    () =>
      runId ? (predictions.data?.predictionRun?.predictions.edges.map((e) => e.node) ?? []) : [],
    [runId, predictions.data],
  );

  useEffect(() => {
    onOverlay(
      shown.length === 0 ? null : (
        <g className="prediction-overlay" data-testid="prediction-overlay" pointerEvents="none">
          {shown.map((p) => (
            <rect
              key={p.id}
              x={p.box.x}
              y={p.box.y}
              width={p.box.width}
              height={p.box.height}
              fill="none"
              stroke={p.defectClass.color}
              strokeWidth={2}
              strokeDasharray="6 4"
              vectorEffect="non-scaling-stroke"
            >
              <title>{`${p.defectClass.name} ${p.score.toFixed(2)}`}</title>
            </rect>
          ))}
        </g>
      ),
    );
  }, [shown, onOverlay]);

  if (finished.length === 0) return null;
  return (
    <section className="panel-section" aria-label="Predictions" data-testid="image-predictions">
      <h2>Predictions</h2>
      <SelectField
        label="Run"
        value={runId}
        onChange={setRunId}
        none="None"
        options={finished.map((r) => ({ value: r.id, label: r.name || r.id.slice(0, 8) }))}
        selectTestId="image-predictions-run"
      />
      {runId && (
        <>
          <label className="predictions__slider">
            Confidence from {minScore.toFixed(2)}
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={minScore}
              onChange={(e) => setMinScore(Number(e.target.value))}
              data-testid="image-predictions-score"
            />
          </label>
          <p className="muted">
            {shown.length} predicted box{shown.length === 1 ? "" : "es"}, dashed over the labels.
          </p>
        </>
      )}
    </section>
  );
}
