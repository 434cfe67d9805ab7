"use client";

import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { formatCount } from "../ui/format";
import { ACCEPT_PREDICTIONS_ABOVE, type PredictionRun } from "./predictions.graphql";

interface PrelabelDialogProps {
  run: PredictionRun | null;
  onClose: () => void;
}

/**
 * Pre-labelling: a run's predictions from a score become boxes on the images that have none. They
 * stay marked as model-made (unreviewed) until someone edits or confirms them.
 */
export function PrelabelDialog({ run, onClose }: PrelabelDialogProps) {
  const [minScore, setMinScore] = useState(0.5);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ boxes: number; images: number } | null>(null);

  async function accept() {
    if (!run) return;
    setBusy(true);
    setError(null);
    try {
      setDone(
        (await gql(ACCEPT_PREDICTIONS_ABOVE, { runId: run.id, minScore })).acceptPredictionsAbove,
      );
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setDone(null);
    setError(null);
    onClose();
  }

  return (
    <Dialog
      open={run !== null}
      title="Pre-label from this run"
      onClose={close}
      testId="prelabel-dialog"
    >
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      {done ? (
        <p data-testid="prelabel-result">
          {formatCount(done.boxes)} boxes added to {formatCount(done.images)} images, marked
          unreviewed.
        </p>
      ) : (
        <>
          <p className="muted">
            Predictions of <strong>{run?.name}</strong> from this score become boxes on the images
            that have none yet. They stay marked as model-made until someone edits or confirms them.
            A run is accepted once.
          </p>
          <Field label={`Minimum score: ${minScore.toFixed(2)}`}>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={minScore}
              onChange={(e) => setMinScore(Number(e.target.value))}
              data-testid="prelabel-score"
            />
          </Field>
        </>
      )}
      <footer className="dialog__footer">
        <button type="button" className="button" onClick={close}>
          {done ? "Close" : "Cancel"}
        </button>
        {!done && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void accept()}
            data-testid="prelabel-accept"
          >
            {busy ? "Adding boxes…" : "Add boxes"}
          </button>
        )}
      </footer>
    </Dialog>
  );
}
