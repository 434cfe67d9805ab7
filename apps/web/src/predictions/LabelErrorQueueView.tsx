"use client";

import { useCallback, useEffect, useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { QueryView } from "../ui/QueryView";
import { EmptyState } from "../ui/states";
import { ErrorBanner } from "../ui/Dialog";
import {
  ACCEPT_PREDICTION,
  DECIDE_LABEL_ERROR,
  LABEL_ERROR_CANDIDATES,
  type CandidateBox,
  type LabelErrorCandidate,
} from "./predictions.graphql";
import {
  KIND_TITLES,
  actionOfKey,
  actionsFor,
  indexAfterDecision,
  step,
  type QueueAction,
} from "./labelErrorQueue";

const ACTION_LABELS: Record<QueueAction, string> = {
  ACCEPT: "Accept box (A)",
  CONFIRM: "Label is right (C)",
  DELETE: "Delete box (D)",
  DISMISS: "Dismiss (X)",
  NEXT: "Next",
  PREVIOUS: "Previous",
};

/** Where the detector and the labels disagree, one candidate at a time, decided from the keyboard. */
export function LabelErrorQueueView({ runId }: { runId: string }) {
  const user = useSessionUser();
  const canEdit = hasRole(user, "CURATOR");
  const queue = useQuery(LABEL_ERROR_CANDIDATES, { runId, confidence: 0.5 });
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = queue.data?.labelErrorCandidates.candidates ?? [];
  const current = candidates[index];
  const { setData } = queue;

  const decide = useCallback(
    async (action: QueueAction) => {
      if (!current || busy || !canEdit) return;
      setBusy(true);
      setError(null);
      try {
        if (action === "ACCEPT" && current.kind === "CLASS_CONFUSION") {
          // The prediction's class is right: the box takes it, in one decision.
          await gql(DECIDE_LABEL_ERROR, {
            runId,
            key: current.key,
            action: "FIX",
            classId: current.predictedClass?.id ?? null,
          });
        } else if (action === "ACCEPT" && current.prediction) {
          await gql(ACCEPT_PREDICTION, { runId, predictionId: current.prediction.id });
        } else {
          await gql(DECIDE_LABEL_ERROR, {
            runId,
            key: current.key,
            action: action as "CONFIRM" | "DELETE" | "DISMISS",
            classId: null,
          });
        }
        const length = candidates.length;
        setData(
          (previous) =>
            previous && {
              labelErrorCandidates: {
                totalCount: previous.labelErrorCandidates.totalCount - 1,
                candidates: previous.labelErrorCandidates.candidates.filter(
                  (c) => c.key !== current.key,
                ),
              },
            },
        );
        setIndex((i) => indexAfterDecision(i, length));
      } catch (caught) {
        setError(errorMessage(caught));
      } finally {
        setBusy(false);
      }
    },
    [current, busy, canEdit, runId, candidates.length, setData],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.target instanceof HTMLInputElement || event.metaKey || event.ctrlKey) return;
      const action = actionOfKey(event.key, current?.kind);
      if (!action) return;
      event.preventDefault();
      if (action === "NEXT") setIndex((i) => step(i, candidates.length, 1));
      else if (action === "PREVIOUS") setIndex((i) => step(i, candidates.length, -1));
      else void decide(action);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, candidates.length, decide]);

  return (
    <main className="page page--wide predictions">
      <section className="card section">
        <div className="section__header">
          <div>
            <h2>Label-error queue</h2>
            <p className="muted">
              A accept the prediction as a box · C the label is right · D delete the box · X dismiss
              · J / K next, previous. Every decision is audited.
            </p>
          </div>
          <strong data-testid="queue-count">
            {queue.data?.labelErrorCandidates.totalCount ?? "…"} candidates
          </strong>
        </div>
        {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
        <QueryView
          error={queue.error}
          data={queue.data?.labelErrorCandidates}
          keepDataOnError
          onRetry={queue.refetch}
          loading="Finding disagreements…"
          isEmpty={(q) => q.candidates.length === 0}
          empty={<EmptyState title="Nothing to review" testId="queue-empty" />}
        >
          {() =>
            current && (
              <CandidateStage
                candidate={current}
                position={`${index + 1} of ${candidates.length}`}
                actions={canEdit ? actionsFor(current.kind) : []}
                busy={busy}
                onAction={(a) => void decide(a)}
              />
            )
          }
        </QueryView>
      </section>
    </main>
  );
}

function CandidateStage({
  candidate,
  position,
  actions,
  busy,
  onAction,
}: {
  candidate: LabelErrorCandidate;
  position: string;
  actions: QueueAction[];
  busy: boolean;
  onAction: (action: QueueAction) => void;
}) {
  const { image } = candidate;
  return (
    <div className="predictions__stage" data-testid="candidate" data-kind={candidate.kind}>
      <div className="predictions__image">
        <svg viewBox={`0 0 ${image.width} ${image.height}`} role="img" aria-label={image.filename}>
          <image href={image.url} width={image.width} height={image.height} />
          {candidate.annotation && (
            <BoxOutline box={candidate.annotation.box} color="#2f7de1" label="label" />
          )}
          {candidate.prediction && (
            <BoxOutline box={candidate.prediction.box} color="#e0483b" label="prediction" dashed />
          )}
        </svg>
      </div>
      <aside className="predictions__side">
        <p className="muted">{position}</p>
        <h3>{KIND_TITLES[candidate.kind]}</h3>
        <dl>
          <dt>Image</dt>
          <dd>{image.filename}</dd>
          <dt>Class</dt>
          <dd>{candidate.defectClass.name}</dd>
          {candidate.predictedClass && candidate.predictedClass.id !== candidate.defectClass.id && (
            <>
              <dt>Predicted</dt>
              <dd>{candidate.predictedClass.name}</dd>
            </>
          )}
          {candidate.score !== null && (
            <>
              <dt>Score</dt>
              <dd>{candidate.score.toFixed(2)}</dd>
            </>
          )}
          {candidate.iou !== null && (
            <>
              <dt>Best IoU</dt>
              <dd>{candidate.iou.toFixed(2)}</dd>
            </>
          )}
        </dl>
        <div className="predictions__actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === "ACCEPT" ? "button button--primary" : "button"}
              disabled={busy}
              onClick={() => onAction(action)}
              data-testid={`queue-${action.toLowerCase()}`}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      </aside>
    </div>
  );
}

function BoxOutline({
  box,
  color,
  label,
  dashed,
}: {
  box: CandidateBox;
  color: string;
  label: string;
  dashed?: boolean;
}) {
  return (
    <rect
      x={box.x}
      y={box.y}
      width={box.width}
      height={box.height}
      fill="none"
      stroke={color}
      strokeWidth={Math.max(2, box.width / 60)}
      strokeDasharray={dashed ? "6 4" : undefined}
      vectorEffect="non-scaling-stroke"
    >
      <title>{label}</title>
    </rect>
  );
}
