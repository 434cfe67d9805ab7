"use client";

import Link from "next/link";
import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import {
  ADD_IMAGE_TAGS,
  REMOVE_IMAGE_TAGS,
  SET_IMAGE_CAPTURE,
  SET_IMAGE_SPLIT,
  SPLITS,
  type ImageDetail,
  type Split,
} from "./images.graphql";
import { ErrorBanner } from "../ui/Dialog";
import {
  formatBytes,
  formatDateTime,
  fromDateTimeLocal,
  titleCase,
  toDateTimeLocal,
} from "../ui/format";
import { Field } from "../ui/Field";

interface ImageMetadataPanelProps {
  image: ImageDetail;
  readOnly: boolean;
  onChanged: (patch: Partial<ImageDetail>) => void;
}

/** Facts about the file and the curator's fields (split, tags, capture time), each saved on change. */
export function ImageMetadataPanel({ image, readOnly, onChanged }: ImageMetadataPanelProps) {
  const [error, setError] = useState<string | null>(null);
  const [tagDraft, setTagDraft] = useState("");
  const [capture, setCapture] = useState(() => toDateTimeLocal(image.capturedAt));
  const [busy, setBusy] = useState(false);

  async function run(
    optimistic: Partial<ImageDetail>,
    rollback: Partial<ImageDetail>,
    call: () => Promise<unknown>,
  ) {
    setError(null);
    setBusy(true);
    onChanged(optimistic);
    try {
      await call();
    } catch (caught) {
      onChanged(rollback);
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  function setSplit(split: Split) {
    void run({ split }, { split: image.split }, () =>
      gql(SET_IMAGE_SPLIT, { imageIds: [image.id], split }),
    );
  }

  function addTag() {
    const tag = tagDraft.trim();
    setTagDraft("");
    if (!tag || image.tags.includes(tag)) return;
    void run({ tags: [...image.tags, tag] }, { tags: image.tags }, () =>
      gql(ADD_IMAGE_TAGS, { imageIds: [image.id], tags: [tag] }),
    );
  }

  function removeTag(tag: string) {
    void run({ tags: image.tags.filter((value) => value !== tag) }, { tags: image.tags }, () =>
      gql(REMOVE_IMAGE_TAGS, { imageIds: [image.id], tags: [tag] }),
    );
  }

  function saveCapture(value: string) {
    const capturedAt = fromDateTimeLocal(value);
    void run({ capturedAt }, { capturedAt: image.capturedAt }, () =>
      gql(SET_IMAGE_CAPTURE, { imageId: image.id, capturedAt }),
    );
  }

  return (
    <section
      className="panel-section"
      aria-labelledby="metadata-heading"
      data-testid="image-metadata"
    >
      <h2 id="metadata-heading">Image</h2>
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      <dl className="facts">
        <dt>File</dt>
        <dd className="ellipsis" title={image.filename}>
          {image.filename}
        </dd>
        <dt>Size</dt>
        <dd>
          {image.width} × {image.height} px · {formatBytes(image.bytes)}
        </dd>
        <dt>Type</dt>
        <dd>{image.mimeType}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="hash" title={image.sha256}>
            {image.sha256.slice(0, 16)}…
          </code>{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => void navigator.clipboard?.writeText(image.sha256)}
          >
            copy
          </button>
        </dd>
        <dt>Origin</dt>
        <dd>
          {titleCase(image.origin)}
          {image.origin === "SYNTHETIC" && ` · ${titleCase(image.reviewState)}`}
        </dd>
        <dt>Uploaded</dt>
        <dd>{formatDateTime(image.createdAt)}</dd>
        {image.latitude !== null && image.longitude !== null && (
          <>
            <dt>Position</dt>
            <dd data-testid="image-position">
              {image.latitude.toFixed(5)}, {image.longitude.toFixed(5)}
            </dd>
          </>
        )}
        {image.tower && (
          <>
            <dt>Tower</dt>
            <dd data-testid="image-tower">{image.tower.name}</dd>
          </>
        )}
        {image.device && (
          <>
            <dt>Device</dt>
            <dd>
              <Link href={`/devices/${image.device.id}`}>{image.device.name}</Link>
            </dd>
          </>
        )}
      </dl>

      <Field label="Split">
        <select
          value={image.split}
          onChange={(event) => setSplit(event.target.value as Split)}
          disabled={readOnly || busy}
          data-testid="image-split"
        >
          {SPLITS.map((split) => (
            <option key={split} value={split}>
              {titleCase(split)}
            </option>
          ))}
        </select>
      </Field>

      <div className="field">
        <span id="tags-label">Tags</span>
        <div className="tag-editor" aria-labelledby="tags-label" data-testid="image-tags">
          {image.tags.length === 0 && <span className="muted">No tags</span>}
          {image.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
              {!readOnly && (
                <button
                  type="button"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => removeTag(tag)}
                >
                  ×
                </button>
              )}
            </span>
          ))}
        </div>
        {!readOnly && (
          <input
            value={tagDraft}
            onChange={(event) => setTagDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                addTag();
              }
            }}
            placeholder="Add a tag and press Enter"
            aria-label="Add a tag"
            data-testid="image-tag-input"
          />
        )}
      </div>

      <Field label="Captured at">
        <div className="inline-controls">
          <input
            type="datetime-local"
            value={capture}
            onChange={(event) => setCapture(event.target.value)}
            onBlur={() => {
              if (capture !== toDateTimeLocal(image.capturedAt)) saveCapture(capture);
            }}
            disabled={readOnly}
            data-testid="image-captured-at"
          />
          {!readOnly && image.capturedAt && (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setCapture("");
                saveCapture("");
              }}
            >
              Clear
            </button>
          )}
        </div>
      </Field>
    </section>
  );
}
