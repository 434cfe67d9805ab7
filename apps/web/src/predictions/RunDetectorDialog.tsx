"use client";

import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { gql } from "../graphql/client";
import { SPLITS, type Split } from "../images/images.graphql";
import { sha256Hex } from "../images/sha256";
import { xhrPut } from "../images/uploadBatch";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { ChooseLink, FileDrop } from "../ui/FileDrop";
import { Field, SelectField } from "../ui/Field";
import { EmptyState } from "../ui/states";
import { formatBytes, titleCase } from "../ui/format";
import { detectorFileProblem, detectorRefusal, parseMinScore } from "./detectorRun";
import { REQUEST_DETECTOR_UPLOAD, RUN_DETECTOR, type PredictionRun } from "./predictions.graphql";

type Phase = "idle" | "hashing" | "uploading" | "checking";

const PHASE_LABEL: Record<Phase, string> = {
  idle: "",
  hashing: "Computing the detector's sha256…",
  uploading: "Uploading",
  checking: "Checking the detector and queueing the run…",
};

interface RunDetectorDialogProps {
  datasetId: string;
  /** Newest first, as the API lists them. */
  versions: number[];
  open: boolean;
  onClose: () => void;
  /** Called with the new run once its job is queued. */
  onStarted: (run: PredictionRun) => void;
}

/**
 * Runs a detector's ONNX file over a version's split on a worker: the file is hashed here, sent
 * with a presigned PUT, then checked by the API against the detector contract. A refusal stays
 * in the dialog and no run is made; a queued run joins the runs list, which follows it.
 */
export function RunDetectorDialog({
  datasetId,
  versions,
  open,
  onClose,
  onStarted,
}: RunDetectorDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [version, setVersion] = useState("");
  const [split, setSplit] = useState<Split>("TEST");
  const [name, setName] = useState("");
  const [minScore, setMinScore] = useState("");
  const [phase, setPhase] = useState<Phase>("idle");
  const [sent, setSent] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = phase !== "idle";
  // The latest version until another is chosen (the list may arrive after the dialog).
  const chosenVersion = version || String(versions[0] ?? "");

  function choose(files: File[]) {
    const chosen = files[0] ?? null;
    setFile(chosen);
    setError(chosen && detectorFileProblem(chosen));
  }

  // Escape or × during the upload cancels it; while the API checks the file, the dialog waits.
  function close() {
    if (phase === "hashing" || phase === "uploading") {
      abortRef.current?.abort();
      return;
    }
    if (busy) return;
    setFile(null);
    setName("");
    setMinScore("");
    setError(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || busy || !chosenVersion) return;
    const problem = detectorFileProblem(file);
    const score = parseMinScore(minScore);
    if (problem || typeof score === "string") return setError(problem ?? (score as string));
    setError(null);
    setSent(0);
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      // The ticket first: a file over the size limit is refused before it is read.
      setPhase("hashing");
      const ticket = (await gql(REQUEST_DETECTOR_UPLOAD, { datasetId, bytes: file.size }))
        .requestDetectorUpload;
      const sha256 = await sha256Hex(await file.arrayBuffer());
      controller.signal.throwIfAborted();
      setPhase("uploading");
      await xhrPut(ticket.url, ticket.headers ?? {}, file, setSent, controller.signal);
      setSent(1);
      setPhase("checking");
      const run = (
        await gql(RUN_DETECTOR, {
          datasetId,
          version: Number(chosenVersion),
          split,
          source: ticket.key,
          sha256,
          name: name.trim() || file.name,
          minScore: score.minScore,
        })
      ).runDetector;
      setPhase("idle");
      setFile(null);
      setName("");
      setMinScore("");
      onStarted(run);
      onClose();
    } catch (caught) {
      setError(
        controller.signal.aborted ? "Upload cancelled." : detectorRefusal(caught, file.size),
      );
      setPhase("idle");
    } finally {
      abortRef.current = null;
    }
  }

  return (
    <Dialog open={open} title="Run a detector" onClose={close} testId="detector-dialog">
      {versions.length === 0 ? (
        <>
          <EmptyState title="Freeze a version first" testId="detector-no-version">
            <p className="muted">
              A detector runs on a split of a version, so that its scores stay comparable while the
              labels change. This dataset has no version yet.
            </p>
            <Link className="button" href={`/datasets/${datasetId}/versions`}>
              Go to versions
            </Link>
          </EmptyState>
          <footer className="dialog__footer">
            <button type="button" className="button" onClick={close}>
              Close
            </button>
          </footer>
        </>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)} data-testid="detector-form">
          <p className="muted">
            An object detector exported to ONNX under the detector contract (an <code>images</code>{" "}
            input; <code>boxes</code>, <code>scores</code> and <code>classes</code> outputs, or a
            YOLO head; class names in its metadata). A worker runs it over every image of the split;
            classes the dataset lacks are ignored.
          </p>
          <FileDrop
            onFiles={choose}
            accept=".onnx"
            inputLabel="Choose a detector (.onnx)"
            testId="detector-dropzone"
            inputTestId="detector-input"
          >
            {(pick) =>
              file ? (
                <p data-testid="detector-file">
                  <strong>{file.name}</strong>{" "}
                  <span className="muted">{formatBytes(file.size)}</span>{" "}
                  {!busy && <ChooseLink onClick={pick}>choose another</ChooseLink>}
                </p>
              ) : (
                <p>
                  <strong>Drop an .onnx file here</strong> or{" "}
                  <ChooseLink onClick={pick}>choose one</ChooseLink>
                </p>
              )
            }
          </FileDrop>
          <div className="predictions__form">
            <SelectField
              label="Version"
              value={chosenVersion}
              onChange={setVersion}
              options={versions.map((n, i) => ({
                value: String(n),
                label: i === 0 ? `Version ${n} (latest)` : `Version ${n}`,
              }))}
              disabled={busy}
              selectTestId="detector-version"
            />
            <SelectField
              label="Split"
              value={split}
              onChange={setSplit}
              options={SPLITS.map((s) => ({ value: s, label: titleCase(s) }))}
              disabled={busy}
              selectTestId="detector-split"
            />
            <Field label="Name (optional)">
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={200}
                placeholder={file?.name ?? "the file's name"}
                disabled={busy}
                data-testid="detector-name"
              />
            </Field>
            <Field label="Minimum score (optional)" hint="Detections below it are not kept.">
              <input
                type="number"
                min={0}
                max={1}
                step="any"
                value={minScore}
                onChange={(e) => setMinScore(e.target.value)}
                placeholder="0.001"
                disabled={busy}
                data-testid="detector-min-score"
              />
            </Field>
          </div>
          {busy && (
            <div role="status" aria-live="polite" data-testid="detector-upload">
              <div className="upload__overall-text">
                <strong>{PHASE_LABEL[phase]}</strong>
                {phase === "uploading" && (
                  <span>
                    {Math.round(sent * 100)}% of {formatBytes(file?.size ?? 0)}
                  </span>
                )}
              </div>
              <progress
                max={1}
                value={phase === "hashing" ? 0 : sent}
                aria-label="Upload progress"
              />
            </div>
          )}
          {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
          <footer className="dialog__footer">
            <button
              type="button"
              className="button"
              onClick={close}
              disabled={phase === "checking"}
            >
              {phase === "hashing" || phase === "uploading" ? "Cancel upload" : "Cancel"}
            </button>
            <button
              type="submit"
              className="button button--primary"
              disabled={!file || busy}
              data-testid="detector-start"
            >
              {busy ? "Working…" : "Upload and run"}
            </button>
          </footer>
        </form>
      )}
    </Dialog>
  );
}
