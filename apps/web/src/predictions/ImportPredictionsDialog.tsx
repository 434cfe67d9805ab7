"use client";

import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { SPLITS, type Split } from "../images/images.graphql";
import { xhrPut } from "../images/uploadBatch";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { ChooseLink, FileDrop } from "../ui/FileDrop";
import { Field, SelectField } from "../ui/Field";
import { titleCase } from "../ui/format";
import {
  IMPORT_PREDICTIONS,
  PREDICTION_FORMATS,
  REQUEST_PREDICTION_UPLOAD,
  type PredictionFormat,
} from "./predictions.graphql";

interface ImportPredictionsDialogProps {
  datasetId: string;
  versions: number[];
  open: boolean;
  onClose: () => void;
  /** Called with the new run's id once its job is queued. */
  onStarted: (runId: string) => void;
}

/** Upload a zip of prediction files and start the import job; the runs list follows it. */
export function ImportPredictionsDialog({
  datasetId,
  versions,
  open,
  onClose,
  onStarted,
}: ImportPredictionsDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<PredictionFormat>("COCO");
  const [split, setSplit] = useState<Split>("TEST");
  const [version, setVersion] = useState<string>(String(versions[0] ?? ""));
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    if (!file || !version) return;
    setBusy(true);
    setError(null);
    try {
      const ticket = (await gql(REQUEST_PREDICTION_UPLOAD, { datasetId, bytes: file.size }))
        .requestPredictionUpload;
      await xhrPut(ticket.url, ticket.headers ?? {}, file, () => {}, new AbortController().signal);
      const run = (
        await gql(IMPORT_PREDICTIONS, {
          datasetId,
          version: Number(version),
          split,
          format,
          source: ticket.key,
          name: name.trim() || file.name,
        })
      ).importPredictions;
      setFile(null);
      setName("");
      onStarted(run.id);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      title="Import predictions"
      onClose={onClose}
      testId="predictions-import-dialog"
    >
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      <p className="muted">
        A zip of a detector&apos;s predictions on one split of a version: COCO results JSON with the
        dataset JSON that names its images, YOLO txt with a confidence column and data.yaml, or VOC
        XML with &lt;score&gt;. A run with any problem is refused whole.
      </p>
      <FileDrop
        onFiles={(files) => setFile(files[0] ?? null)}
        accept=".zip,application/zip"
        inputLabel="Choose a zip of predictions"
        testId="predictions-dropzone"
        inputTestId="predictions-input"
      >
        {(choose) => (
          <p>
            {file ? file.name : "Drop a .zip here, or "}
            {!file && <ChooseLink onClick={choose}>choose one</ChooseLink>}
          </p>
        )}
      </FileDrop>
      <div className="predictions__form">
        <SelectField
          label="Format"
          value={format}
          onChange={setFormat}
          options={PREDICTION_FORMATS.map((f) => ({ value: f, label: f }))}
          selectTestId="predictions-format"
        />
        <SelectField
          label="Version"
          value={version}
          onChange={setVersion}
          options={versions.map((n) => ({ value: String(n), label: `Version ${n}` }))}
          selectTestId="predictions-version"
        />
        <SelectField
          label="Split"
          value={split}
          onChange={setSplit}
          options={SPLITS.map((s) => ({ value: s, label: titleCase(s) }))}
          selectTestId="predictions-split"
        />
        <Field label="Name">
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            placeholder="e.g. v4 detector"
          />
        </Field>
      </div>
      <footer className="dialog__footer">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={!file || !version || busy}
          onClick={() => void start()}
          data-testid="predictions-start"
        >
          {busy ? "Uploading…" : "Import"}
        </button>
      </footer>
    </Dialog>
  );
}
