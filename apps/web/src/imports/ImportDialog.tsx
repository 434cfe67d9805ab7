"use client";

import { useEffect, useRef, useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useLiveJob } from "../graphql/useLiveJob";
import { SPLITS, type Split } from "../images/images.graphql";
import { xhrPut } from "../images/uploadBatch";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Segmented } from "../ui/Segmented";
import { ChooseLink, FileDrop } from "../ui/FileDrop";
import { Field } from "../ui/Field";
import { formatBytes, titleCase } from "../ui/format";
import {
  DATASET_FORMATS,
  IMPORT_JOB,
  IMPORT_JOB_UPDATED,
  REQUEST_IMPORT_UPLOAD,
  START_IMPORT,
  isJobFinished,
  type DatasetFormat,
} from "./imports.graphql";
import { ImportJobView } from "./ImportJobView";
import { ClassMapEditor } from "./ClassMapEditor";
import type { ClassMap, Parsed } from "./classMap";

type Phase = "choose" | "uploading" | "starting" | "job";

interface ImportDialogProps {
  datasetId: string;
  open: boolean;
  onClose: () => void;
  /** Called once when an import finishes, so the dataset and its balance reload. */
  onImported: () => void;
}

function isZip(file: File): boolean {
  return /\.zip$/i.test(file.name) || file.type === "application/zip";
}

export function ImportDialog({ datasetId, open, onClose, onImported }: ImportDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<DatasetFormat>("VOC");
  const [split, setSplit] = useState<Split | "">("");
  const [phase, setPhase] = useState<Phase>("choose");
  const [sent, setSent] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [classMap, setClassMap] = useState<Parsed<ClassMap | null>>({ ok: true, value: null });
  /** Remounts the class map editor (empty) when the dialog is reset. */
  const [editorKey, setEditorKey] = useState(0);
  const abortRef = useRef<AbortController | null>(null);
  const reportedRef = useRef<string | null>(null);

  const { job, error: pollError } = useLiveJob(
    jobId,
    async (id) => (await gql(IMPORT_JOB, { id })).importJob,
    IMPORT_JOB_UPDATED,
    "importJobUpdated",
  );
  const finished = !!job && isJobFinished(job.status);

  useEffect(() => {
    if (job && finished && reportedRef.current !== job.id) {
      reportedRef.current = job.id;
      onImported();
    }
  }, [job, finished, onImported]);

  function choose(files: File[]) {
    setError(null);
    const zip = files.find(isZip);
    if (!zip) {
      if (files.length > 0) setError("Choose a .zip archive (VOC, COCO or YOLO layout).");
      return;
    }
    setFile(zip);
  }

  async function start() {
    if (!file || !classMap.ok) return;
    setError(null);
    setPhase("uploading");
    setSent(0);
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const ticket = (await gql(REQUEST_IMPORT_UPLOAD, { datasetId, bytes: file.size }))
        .requestImportUpload;
      await xhrPut(ticket.url, ticket.headers ?? {}, file, setSent, controller.signal);
      setSent(1);
      setPhase("starting");
      const started = (
        await gql(START_IMPORT, {
          datasetId,
          format,
          source: ticket.key,
          split: split || null,
          classMap: classMap.value,
        })
      ).startImport;
      setJobId(started.id);
      setPhase("job");
    } catch (caught) {
      if (controller.signal.aborted) setError("Upload cancelled.");
      else setError(errorMessage(caught));
      setPhase("choose");
    } finally {
      abortRef.current = null;
    }
  }

  function reset() {
    setFile(null);
    setPhase("choose");
    setSent(0);
    setError(null);
    setJobId(null);
    setClassMap({ ok: true, value: null });
    setEditorKey((key) => key + 1);
  }

  function close() {
    // A running job keeps being polled while the dialog is closed, so the balance still
    // refreshes when it ends and reopening shows its progress.
    if (phase === "job" && !finished) {
      onClose();
      return;
    }
    if (phase === "uploading") {
      if (!window.confirm("The archive is still uploading. Cancel the upload and close?")) return;
      abortRef.current?.abort();
    }
    reset();
    onClose();
  }

  const choosing = phase === "choose";

  return (
    <Dialog open={open} title="Import annotated images" onClose={close} wide testId="import-dialog">
      <div className="import">
        {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}

        {choosing && (
          <>
            <FileDrop
              onFiles={choose}
              accept=".zip,application/zip"
              inputLabel="Choose a zip archive"
              testId="import-dropzone"
              inputTestId="import-input"
            >
              {(pick) => (
                <>
                  {file ? (
                    <p data-testid="import-file">
                      <strong>{file.name}</strong>{" "}
                      <span className="muted">{formatBytes(file.size)}</span>{" "}
                      <ChooseLink onClick={pick}>choose another</ChooseLink>
                    </p>
                  ) : (
                    <p>
                      <strong>Drop a .zip here</strong> or{" "}
                      <ChooseLink onClick={pick}>choose a file</ChooseLink>
                    </p>
                  )}
                  <p className="muted">
                    Images with their annotations. Images the dataset already holds only gain
                    missing boxes; unknown classes are created.
                  </p>
                </>
              )}
            </FileDrop>

            <div className="import__options">
              <Field label="Format" group>
                <Segmented
                  label="Format"
                  value={format}
                  onChange={setFormat}
                  options={DATASET_FORMATS.map((value) => ({ value, label: value }))}
                  testId="import-format"
                />
              </Field>
              <Field label="Split">
                <select
                  value={split}
                  onChange={(event) => setSplit(event.target.value as Split | "")}
                  data-testid="import-split"
                >
                  <option value="">As in the archive</option>
                  {SPLITS.map((value) => (
                    <option key={value} value={value}>
                      All to {titleCase(value)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <ClassMapEditor key={editorKey} onChange={setClassMap} />
          </>
        )}

        {(phase === "uploading" || phase === "starting") && (
          <div className="import__progress" data-testid="import-upload">
            <div className="upload__overall-text">
              <strong>{phase === "uploading" ? "Uploading" : "Starting the import"}</strong>
              <span>
                {file?.name} · {Math.round(sent * 100)}% of {formatBytes(file?.size ?? 0)}
              </span>
            </div>
            <progress max={1} value={sent} aria-label="Upload progress" />
          </div>
        )}

        {phase === "job" && (
          <>
            {pollError != null && (
              <ErrorBanner message={`${errorMessage(pollError)} Still trying…`} />
            )}
            {job ? (
              <ImportJobView job={job} />
            ) : (
              <p className="muted" role="status">
                Waiting for the import to report…
              </p>
            )}
            {job && !finished && (
              <p className="muted">
                You can close this dialog: the import goes on in the background.
              </p>
            )}
          </>
        )}

        <footer className="dialog__footer">
          {choosing && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void start()}
              disabled={!file || !classMap.ok}
              data-testid="import-start"
            >
              Upload and import
            </button>
          )}
          {phase === "uploading" && (
            <button
              type="button"
              className="button button--danger-ghost"
              onClick={() => abortRef.current?.abort()}
            >
              Cancel upload
            </button>
          )}
          {finished && (
            <button type="button" className="button" onClick={reset} data-testid="import-another">
              Import another
            </button>
          )}
          <button type="button" className="button" onClick={close} data-testid="import-close">
            {finished ? "Done" : "Close"}
          </button>
        </footer>
      </div>
    </Dialog>
  );
}
