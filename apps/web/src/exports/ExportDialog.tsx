"use client";

import { useState, type FormEvent } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useLiveJob } from "../graphql/useLiveJob";
import { useDataset } from "../datasets/DatasetContext";
import { SPLITS, type Split } from "../images/images.graphql";
import { DATASET_FORMATS, type DatasetFormat } from "../imports/imports.graphql";
import type { DatasetVersion } from "../versions/versions.graphql";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Segmented } from "../ui/Segmented";
import { parseShareCap } from "./shareCap";
import { formatBytes, formatCount, titleCase } from "../ui/format";
import {
  EXPORT_JOB,
  EXPORT_JOB_UPDATED,
  EXPORT_VERSION,
  type ExportJob,
  type SyntheticInclusion,
} from "./exports.graphql";
import { Field, FieldSet } from "../ui/Field";

export function ExportDialog({
  version,
  onClose,
}: {
  version: DatasetVersion | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={version !== null}
      title={version ? `Export v${version.number}` : "Export"}
      onClose={onClose}
      testId="export-dialog"
    >
      {/* Keyed by version: a fresh form (and no stale job) for each version opened. */}
      {version && <ExportForm key={version.id} version={version} onClose={onClose} />}
    </Dialog>
  );
}

function ExportForm({ version, onClose }: { version: DatasetVersion; onClose: () => void }) {
  const { dataset } = useDataset();
  const [format, setFormat] = useState<DatasetFormat>("VOC");
  const [splits, setSplits] = useState<Split[]>([...SPLITS]);
  const [synthetic, setSynthetic] = useState<SyntheticInclusion>("NONE");
  const [cap, setCap] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [freshUrl, setFreshUrl] = useState<string | null>(null);

  const { job, error: pollError } = useLiveJob(
    jobId,
    async (id) => (await gql(EXPORT_JOB, { id })).exportJob,
    EXPORT_JOB_UPDATED,
    "exportJobUpdated",
  );

  async function start(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (splits.length === 0) {
      setError("Choose at least one split.");
      return;
    }
    const parsed = synthetic === "ACCEPTED" ? parseShareCap(cap) : { value: null, error: null };
    if (parsed.error) {
      setError(parsed.error);
      return;
    }
    setStarting(true);
    try {
      const { exportVersion } = await gql(EXPORT_VERSION, {
        versionId: version.id,
        format,
        // Every split is the API's default; sending null keeps the request minimal.
        splits: splits.length === SPLITS.length ? null : SPLITS.filter((s) => splits.includes(s)),
        includeSynthetic: synthetic,
        syntheticShareCap: parsed.value,
      });
      setJobId(exportVersion.id);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setStarting(false);
    }
  }

  async function refreshLink() {
    if (!jobId) return;
    try {
      const { exportJob } = await gql(EXPORT_JOB, { id: jobId });
      setFreshUrl(exportJob?.url ?? null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  if (jobId) {
    return (
      <div className="dialog__content">
        {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
        {pollError != null && <ErrorBanner message={`${errorMessage(pollError)} Still trying…`} />}
        {job ? (
          <ExportJobView
            job={job}
            url={freshUrl ?? job.url}
            onRefreshLink={() => void refreshLink()}
          />
        ) : (
          <p className="muted" role="status">
            Waiting for the export to report…
          </p>
        )}
        <footer className="dialog__footer">
          {job?.status === "FAILED" && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setJobId(null);
                setFreshUrl(null);
              }}
            >
              Change options and retry
            </button>
          )}
          <button type="button" className="button" onClick={onClose} data-testid="export-close">
            {job?.status === "SUCCEEDED" || job?.status === "FAILED" ? "Done" : "Close"}
          </button>
        </footer>
      </div>
    );
  }

  return (
    <form className="dialog__content export-form" onSubmit={(event) => void start(event)}>
      <p className="muted">
        v{version.number}: {formatCount(version.images)} images, {formatCount(version.boxes)} boxes.
      </p>
      <Field label="Format" group>
        <Segmented
          label="Format"
          value={format}
          onChange={setFormat}
          options={DATASET_FORMATS.map((value) => ({ value, label: value }))}
          testId="export-format"
        />
      </Field>
      <FieldSet legend="Splits" className="export-form__splits">
        {SPLITS.map((split) => (
          <label key={split} className="checkbox">
            <input
              type="checkbox"
              checked={splits.includes(split)}
              onChange={(event) =>
                setSplits((previous) =>
                  event.target.checked
                    ? [...previous, split]
                    : previous.filter((value) => value !== split),
                )
              }
              data-testid={`export-split-${split}`}
            />
            {titleCase(split)}
          </label>
        ))}
      </FieldSet>
      <Field label="Accepted synthetic images" group>
        <Segmented
          label="Include accepted synthetic images"
          value={synthetic}
          onChange={setSynthetic}
          options={[
            { value: "NONE", label: "No, real only" },
            { value: "ACCEPTED", label: "Yes, include" },
          ]}
          testId="export-synthetic"
        />
      </Field>
      {synthetic === "ACCEPTED" && (
        <Field label="Synthetic share cap per class">
          <input
            type="number"
            min={0}
            max={0.99}
            step={0.05}
            value={cap}
            onChange={(event) => setCap(event.target.value)}
            placeholder={`${dataset.syntheticShareCap} (the dataset's)`}
            data-testid="export-cap"
          />
        </Field>
      )}
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      <footer className="dialog__footer">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button--primary"
          disabled={starting}
          data-testid="export-start"
        >
          {starting ? "Starting…" : "Start export"}
        </button>
      </footer>
    </form>
  );
}

function ExportJobView({
  job,
  url,
  onRefreshLink,
}: {
  job: ExportJob;
  url: string | null;
  onRefreshLink: () => void;
}) {
  const finished = job.status === "SUCCEEDED" || job.status === "FAILED";
  return (
    <div className="job" data-testid="export-job" data-status={job.status}>
      <div className="job__head">
        <span
          className={
            job.status === "SUCCEEDED"
              ? "status status--ready"
              : job.status === "FAILED"
                ? "status status--failed"
                : "status status--running"
          }
          data-testid="export-status"
        >
          {titleCase(job.status)}
        </span>
        <span>
          {job.format} · {job.splits.map(titleCase).join(", ") || "every split"}
          {job.includeSynthetic === "ACCEPTED" ? " · with accepted synthetic" : " · real only"}
        </span>
      </div>
      {!finished && <progress aria-label="Export progress" />}
      {job.status === "FAILED" && (
        <div className="banner banner--error" role="alert">
          {job.message ?? "The export failed."}
        </div>
      )}
      {job.status === "SUCCEEDED" && (
        <>
          <p>
            {formatCount(job.images)} images, {formatCount(job.boxes)} boxes
            {job.bytes != null ? ` · ${formatBytes(job.bytes)}` : ""}
          </p>
          {url ? (
            <p className="export__download">
              <a
                className="button button--primary"
                href={url}
                download
                data-testid="export-download"
              >
                Download zip
              </a>{" "}
              <span className="muted">The link works for 5 minutes.</span>{" "}
              <button type="button" className="link-button" onClick={onRefreshLink}>
                Get a fresh link
              </button>
            </p>
          ) : (
            <p className="muted">
              No download link yet.{" "}
              <button type="button" className="link-button" onClick={onRefreshLink}>
                Try again
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}
