"use client";

import { useEffect, useRef, useState } from "react";
import { gql } from "../graphql/client";
import {
  CONFIRM_UPLOAD,
  REQUEST_UPLOAD,
  SET_IMAGE_SPLIT,
  SPLITS,
  type Split,
} from "./images.graphql";
import { sha256Hex } from "./sha256";
import {
  UploadBatch,
  isFinished,
  makeItems,
  overallProgress,
  summarize,
  xhrPut,
  type UploadItem,
  type UploadState,
} from "./uploadBatch";
import { Dialog } from "../ui/Dialog";
import { ChooseLink, FileDrop } from "../ui/FileDrop";
import { Field } from "../ui/Field";
import { formatBytes, titleCase } from "../ui/format";

const CONCURRENCY = 4;
const ACCEPT = "image/png,image/jpeg,image/webp,image/tiff,.png,.jpg,.jpeg,.webp,.tif,.tiff";

const STATE_LABEL: Record<UploadState, string> = {
  queued: "Queued",
  hashing: "Hashing",
  uploading: "Uploading",
  verifying: "Verifying",
  done: "Done",
  duplicate: "Duplicate",
  error: "Error",
};

interface UploadDialogProps {
  datasetId: string;
  open: boolean;
  onClose: () => void;
  /** Called once a batch settles with at least one new image, so the grid can reload. */
  onUploaded: () => void;
}

export function UploadDialog({ datasetId, open, onClose, onUploaded }: UploadDialogProps) {
  const [items, setItems] = useState<readonly UploadItem[]>([]);
  const [split, setSplit] = useState<Split>("UNASSIGNED");
  const batchRef = useRef<UploadBatch | null>(null);
  const splitRef = useRef(split);
  splitRef.current = split;
  const reportedRef = useRef(0);

  const counts = summarize(items);
  const finished = items.length > 0 && items.every((item) => isFinished(item.state));
  const busy = items.length > 0 && !finished;
  const progress = overallProgress(items);

  // Tell the grid once per settled batch that new images exist.
  useEffect(() => {
    if (!finished) return;
    const created = items.filter((item) => item.state === "done").length;
    if (created > reportedRef.current) {
      reportedRef.current = created;
      onUploaded();
    }
  }, [finished, items, onUploaded]);

  function startFiles(files: File[]) {
    const images = files.filter(
      (file) => file.type.startsWith("image/") || /\.(png|jpe?g|webp|tiff?)$/i.test(file.name),
    );
    if (images.length === 0) return;
    const fresh = makeItems(images);
    if (batchRef.current && !finished) {
      batchRef.current.add(fresh);
      return;
    }
    // A new batch after a finished one keeps the old rows visible above it.
    const previous = finished ? [...items] : [];
    const batch = new UploadBatch(
      [...previous, ...fresh],
      {
        hash: async (file) => sha256Hex(await file.arrayBuffer()),
        requestUpload: async (input) =>
          (await gql(REQUEST_UPLOAD, { datasetId, input })).requestUpload,
        put: xhrPut,
        confirmUpload: async (uploadId) => {
          const { confirmUpload } = await gql(CONFIRM_UPLOAD, { datasetId, uploadId });
          return { duplicate: confirmUpload.duplicate, imageId: confirmUpload.image.id };
        },
        afterCreate: async (imageId) => {
          const chosen = splitRef.current;
          if (chosen !== "UNASSIGNED")
            await gql(SET_IMAGE_SPLIT, { imageIds: [imageId], split: chosen });
        },
      },
      setItems,
      CONCURRENCY,
    );
    batchRef.current = batch;
    setItems(batch.snapshot);
    void batch.run();
  }

  function close() {
    if (busy && !window.confirm("Uploads are still running. Cancel them and close?")) return;
    if (busy) batchRef.current?.cancel();
    batchRef.current = null;
    reportedRef.current = 0;
    setItems([]);
    onClose();
  }

  return (
    <Dialog open={open} title="Upload images" onClose={close} wide testId="upload-dialog">
      <div className="upload">
        <div className="upload__options">
          <Field label="Split for this batch" inline>
            <select
              value={split}
              onChange={(event) => setSplit(event.target.value as Split)}
              disabled={busy}
              data-testid="upload-split"
            >
              {SPLITS.map((value) => (
                <option key={value} value={value}>
                  {titleCase(value)}
                </option>
              ))}
            </select>
          </Field>
          <span className="muted">
            Files go straight to storage; duplicates (same sha256) are recognised and skipped.
          </span>
        </div>

        <FileDrop
          onFiles={startFiles}
          accept={ACCEPT}
          multiple
          inputLabel="Choose image files"
          testId="upload-dropzone"
          inputTestId="upload-input"
        >
          {(choose) => (
            <>
              <p>
                <strong>Drop images here</strong> or{" "}
                <ChooseLink onClick={choose}>choose files</ChooseLink>
              </p>
              <p className="muted">
                PNG, JPEG, WebP or TIFF; as many as you like, {CONCURRENCY} at a time.
              </p>
            </>
          )}
        </FileDrop>

        {items.length > 0 && (
          <>
            <div
              className="upload__overall"
              data-testid="upload-overall"
              data-finished={finished ? "true" : "false"}
            >
              <div className="upload__overall-text">
                <strong>{finished ? "Finished" : "Uploading"}</strong>
                <span>
                  {counts.done} done · {counts.duplicate} duplicate · {counts.error} failed ·{" "}
                  {items.length} total
                </span>
              </div>
              <progress max={1} value={progress} aria-label="Overall upload progress" />
            </div>
            <ul className="upload__list" aria-label="Files">
              {items.map((item) => (
                <UploadRow key={item.key} item={item} />
              ))}
            </ul>
          </>
        )}

        <footer className="dialog__footer">
          {counts.error > 0 && finished && (
            <button
              type="button"
              className="button"
              onClick={() => batchRef.current?.retryFailed()}
            >
              Retry failed
            </button>
          )}
          {busy && (
            <button
              type="button"
              className="button button--danger-ghost"
              onClick={() => batchRef.current?.cancel()}
            >
              Cancel remaining
            </button>
          )}
          <button
            type="button"
            className="button button--primary"
            onClick={close}
            data-testid="upload-close"
          >
            {busy ? "Close" : "Done"}
          </button>
        </footer>
      </div>
    </Dialog>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const percent = Math.round(item.sent * 100);
  const value =
    item.state === "uploading"
      ? item.sent
      : isFinished(item.state) || item.state === "verifying"
        ? 1
        : 0;
  return (
    <li
      className={`upload-row upload-row--${item.state}`}
      data-testid="upload-row"
      data-state={item.state}
      data-filename={item.file.name}
    >
      <span className="upload-row__name" title={item.file.name}>
        {item.file.name}
      </span>
      <span className="upload-row__size muted">{formatBytes(item.file.size)}</span>
      <progress max={1} value={value} aria-label={`${item.file.name} progress`} />
      <span className="upload-row__state">
        {STATE_LABEL[item.state]}
        {item.state === "uploading" ? ` ${percent}%` : ""}
      </span>
      {item.message && (
        <span
          className={
            item.state === "error"
              ? "upload-row__message upload-row__message--error"
              : "upload-row__message"
          }
          role={item.state === "error" ? "alert" : undefined}
        >
          {item.message}
        </span>
      )}
    </li>
  );
}
