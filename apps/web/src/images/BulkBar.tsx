"use client";

import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import {
  ADD_IMAGE_TAGS,
  DELETE_IMAGES,
  REMOVE_IMAGE_TAGS,
  SET_IMAGE_SPLIT,
  SPLITS,
  type Split,
} from "./images.graphql";
import { ConfirmDialog, ErrorBanner } from "../ui/Dialog";
import { titleCase } from "../ui/format";

export type BulkChange =
  | { kind: "split"; split: Split }
  | { kind: "addTags"; tags: string[] }
  | { kind: "removeTags"; tags: string[] }
  | { kind: "delete" };

interface BulkBarProps {
  selectedIds: string[];
  loadedCount: number;
  onApplied: (ids: string[], change: BulkChange) => void;
  onClear: () => void;
}

function parseTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/** Actions on the selected images; shown while a selection exists. */
export function BulkBar({ selectedIds, loadedCount, onApplied, onClear }: BulkBarProps) {
  const [split, setSplit] = useState<Split>("TRAIN");
  const [tags, setTags] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const count = selectedIds.length;

  async function apply(change: BulkChange) {
    setBusy(true);
    setError(null);
    try {
      const imageIds = selectedIds;
      if (change.kind === "split") await gql(SET_IMAGE_SPLIT, { imageIds, split: change.split });
      if (change.kind === "addTags") await gql(ADD_IMAGE_TAGS, { imageIds, tags: change.tags });
      if (change.kind === "removeTags")
        await gql(REMOVE_IMAGE_TAGS, { imageIds, tags: change.tags });
      if (change.kind === "delete") await gql(DELETE_IMAGES, { imageIds });
      onApplied(imageIds, change);
      if (change.kind === "addTags" || change.kind === "removeTags") setTags("");
      setConfirmingDelete(false);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  const tagList = parseTags(tags);

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected images" data-testid="bulk-bar">
      <strong data-testid="selection-count">
        {count} selected{count === loadedCount ? " (all loaded)" : ""}
      </strong>
      <div className="bulk-bar__group">
        <label className="visually-hidden" htmlFor="bulk-split">
          Split
        </label>
        <select
          id="bulk-split"
          value={split}
          onChange={(event) => setSplit(event.target.value as Split)}
          disabled={busy}
        >
          {SPLITS.map((value) => (
            <option key={value} value={value}>
              {titleCase(value)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small"
          onClick={() => void apply({ kind: "split", split })}
          disabled={busy}
          data-testid="bulk-set-split"
        >
          Set split
        </button>
      </div>
      <div className="bulk-bar__group">
        <label className="visually-hidden" htmlFor="bulk-tags">
          Tags (comma-separated)
        </label>
        <input
          id="bulk-tags"
          value={tags}
          onChange={(event) => setTags(event.target.value)}
          placeholder="tags, comma-separated"
          disabled={busy}
          data-testid="bulk-tags"
        />
        <button
          type="button"
          className="button button--small"
          disabled={busy || tagList.length === 0}
          onClick={() => void apply({ kind: "addTags", tags: tagList })}
        >
          Add tags
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={busy || tagList.length === 0}
          onClick={() => void apply({ kind: "removeTags", tags: tagList })}
        >
          Remove tags
        </button>
      </div>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => setConfirmingDelete(true)}
        disabled={busy}
        data-testid="bulk-delete"
      >
        Delete…
      </button>
      <button
        type="button"
        className="button button--small button--ghost-dark"
        onClick={onClear}
        disabled={busy}
      >
        Clear (Esc)
      </button>
      {error && !confirmingDelete && (
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
      )}
      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${count} image${count === 1 ? "" : "s"}`}
        message={
          <p>The images and their boxes are deleted for good; balance statistics update at once.</p>
        }
        confirmLabel={`Delete ${count}`}
        danger
        busy={busy}
        error={confirmingDelete ? error : null}
        onConfirm={() => void apply({ kind: "delete" })}
        onCancel={() => {
          setConfirmingDelete(false);
          setError(null);
        }}
      />
    </div>
  );
}
