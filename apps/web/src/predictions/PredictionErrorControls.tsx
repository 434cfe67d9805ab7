"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { Field, SelectField } from "../ui/Field";
import { classTitle } from "../ui/ClassLabel";
import type { DefectClass } from "../classes/classes.graphql";
import type { BrowseQuery } from "../images/browseQuery";
import { PREDICTION_ERROR_KINDS, type PredictionErrorKind } from "../images/images.graphql";
import { useFinishedRuns } from "./useFinishedRuns";

export const ERROR_KIND_LABELS: Record<PredictionErrorKind, string> = {
  FALSE_POSITIVE: "False positives",
  FALSE_NEGATIVE: "False negatives",
};

/** How long the confidence slider rests before the grid reloads. */
const SLIDER_SETTLE_MS = 300;

interface PredictionErrorControlsProps {
  datasetId: string;
  classes: DefectClass[];
  query: BrowseQuery;
  onChange: (query: BrowseQuery) => void;
}

/**
 * The image browser's prediction run: its confidence, and "Errors of class [class] [false
 * positives | false negatives]", which narrows the grid to the images where the run errs.
 */
export function PredictionErrorControls({
  datasetId,
  classes,
  query,
  onChange,
}: PredictionErrorControlsProps) {
  const finished = useFinishedRuns(datasetId);

  // The slider moves in steps; the URL (and the grid) follow once it rests.
  const [draft, setDraft] = useState(query.confidence);
  const latest = useRef({ query, onChange });
  useEffect(() => {
    latest.current = { query, onChange };
  });
  useEffect(() => setDraft(query.confidence), [query.confidence]);
  useEffect(() => {
    if (draft === latest.current.query.confidence) return;
    const timer = setTimeout(
      () => latest.current.onChange({ ...latest.current.query, confidence: draft }),
      SLIDER_SETTLE_MS,
    );
    return () => clearTimeout(timer);
  }, [draft]);

  if (finished.length === 0 && !query.runId) return null;
  const runId = query.runId;
  return (
    <section
      className="filters prediction-errors"
      aria-label="Prediction errors"
      data-testid="prediction-errors"
    >
      <SelectField
        compact
        label="Prediction run"
        value={runId ?? ""}
        onChange={(next) =>
          onChange(
            next
              ? { ...query, runId: next }
              : { ...query, runId: null, errorKind: null, errorClassId: null },
          )
        }
        none="None"
        options={finished.map((r) => ({
          value: r.id,
          label: `${r.name || r.id.slice(0, 8)} · v${r.versionNumber} ${r.split.toLowerCase()}`,
        }))}
        selectTestId="errors-run"
      />
      {runId && (
        <>
          <Field compact label={`Confidence from ${draft.toFixed(2)}`}>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={draft}
              onChange={(event) => setDraft(Number(event.target.value))}
              data-testid="errors-confidence"
            />
          </Field>
          <fieldset className="field field--compact" data-testid="errors-of-class">
            <legend>Errors of class</legend>
            <div className="chip-toggles">
              <select
                aria-label="Class of the errors"
                value={query.errorClassId ?? ""}
                onChange={(event) =>
                  onChange({ ...query, errorClassId: event.target.value || null })
                }
                data-testid="errors-class"
              >
                <option value="">Any class</option>
                {classes.map((defectClass) => (
                  <option key={defectClass.id} value={defectClass.id}>
                    {classTitle(defectClass)}
                  </option>
                ))}
              </select>
              {PREDICTION_ERROR_KINDS.map((kind) => {
                const on = query.errorKind === kind;
                return (
                  <button
                    key={kind}
                    type="button"
                    className={on ? "chip-toggle chip-toggle--on" : "chip-toggle"}
                    aria-pressed={on}
                    onClick={() => onChange({ ...query, errorKind: on ? null : kind })}
                    data-testid={`errors-kind-${kind}`}
                  >
                    {ERROR_KIND_LABELS[kind]}
                  </button>
                );
              })}
            </div>
          </fieldset>
          <Link
            className="prediction-errors__evaluation"
            href={`/datasets/${datasetId}/predictions/${runId}`}
          >
            Evaluation
          </Link>
        </>
      )}
    </section>
  );
}
