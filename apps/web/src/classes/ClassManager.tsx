"use client";

import { useState, type FormEvent } from "react";
import { nextClassColor } from "@gridfill/balance";
import { errorMessage, gql } from "../graphql/client";
import { useDataset } from "../datasets/DatasetContext";
import {
  ASSET_TYPES,
  CREATE_CLASS,
  DELETE_CLASS,
  UPDATE_CLASS,
  toClassName,
  type AssetType,
  type DefectClass,
} from "./classes.graphql";
import { ConfirmDialog, ErrorBanner } from "../ui/Dialog";
import { titleCase } from "../ui/format";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";

interface ClassDraft {
  name: string;
  title: string;
  color: string;
  assetType: AssetType;
  parentId: string;
  hostClassId: string;
  isHostObject: boolean;
}

function draftOf(defectClass: DefectClass): ClassDraft {
  return {
    name: defectClass.name,
    title: defectClass.title,
    color: defectClass.color,
    assetType: defectClass.assetType,
    parentId: defectClass.parent?.id ?? "",
    hostClassId: defectClass.hostClass?.id ?? "",
    isHostObject: defectClass.isHostObject ?? false,
  };
}

/** The dataset's taxonomy: add, rename, recolour, re-parent and delete defect classes. */
export function ClassManager() {
  const { dataset, refresh } = useDataset();
  const user = useSessionUser();
  const canEdit = hasRole(user, "CURATOR");
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<DefectClass | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(defectClass: DefectClass, draft: ClassDraft) {
    setBusy(true);
    setError(null);
    try {
      await gql(UPDATE_CLASS, {
        id: defectClass.id,
        input: {
          name: toClassName(draft.name),
          title: draft.title.trim(),
          color: draft.color,
          assetType: draft.assetType,
          parentId: draft.parentId || null,
          hostClassId: draft.hostClassId || null,
          isHostObject: draft.isHostObject,
        },
      });
      await refresh();
      setEditingId(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    setDeleteError(null);
    try {
      await gql(DELETE_CLASS, { id: deleting.id });
      await refresh();
      setDeleting(null);
    } catch (caught) {
      // The API refuses while boxes use the class; its message says how many.
      setDeleteError(`Cannot delete “${deleting.title || deleting.name}”: ${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card section" aria-labelledby="classes-heading" data-testid="class-manager">
      <header className="section__header">
        <div>
          <h2 id="classes-heading">Defect classes</h2>
          <p className="muted">
            Number keys 1–9 pick these classes in the box editor, in this order.
          </p>
        </div>
      </header>
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      {dataset.classes.length === 0 ? (
        <p className="hint">
          No classes yet. Add the defect types you annotate, such as insulator_crack or missing_pin.
        </p>
      ) : (
        <table className="table class-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Colour</th>
              <th scope="col">Name</th>
              <th scope="col">Title</th>
              <th scope="col">Asset type</th>
              <th scope="col">Parent</th>
              {canEdit && (
                <th scope="col" className="actions-col">
                  Actions
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {dataset.classes.map((defectClass, index) =>
              editingId === defectClass.id ? (
                <ClassEditRow
                  key={defectClass.id}
                  index={index}
                  defectClass={defectClass}
                  classes={dataset.classes}
                  busy={busy}
                  onSave={(draft) => void save(defectClass, draft)}
                  onCancel={() => setEditingId(null)}
                />
              ) : (
                <tr key={defectClass.id} data-testid="class-row" data-class={defectClass.name}>
                  <td className="muted">{index < 9 ? index + 1 : ""}</td>
                  <td>
                    <span
                      className="swatch swatch--large"
                      style={{ background: defectClass.color }}
                      title={defectClass.color}
                    />
                  </td>
                  <td>
                    <code>{defectClass.name}</code>
                  </td>
                  <td>{defectClass.title}</td>
                  <td>{titleCase(defectClass.assetType)}</td>
                  <td>
                    {defectClass.parent ? (
                      <code>{defectClass.parent.name}</code>
                    ) : (
                      <span className="muted">—</span>
                    )}
                    {defectClass.hostClass && (
                      <div className="muted" data-testid="class-host">
                        on <code>{defectClass.hostClass.name}</code>
                      </div>
                    )}
                    {defectClass.isHostObject && <div className="muted">host object</div>}
                  </td>
                  {canEdit && (
                    <td className="actions-col">
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setEditingId(defectClass.id)}
                        aria-label={`Edit ${defectClass.name}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger-ghost"
                        onClick={() => {
                          setDeleteError(null);
                          setDeleting(defectClass);
                        }}
                        aria-label={`Delete ${defectClass.name}`}
                        data-testid="delete-class-button"
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {canEdit && (
        <AddClassForm classes={dataset.classes} datasetId={dataset.id} onAdded={refresh} />
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Delete defect class"
        message={
          <p>
            Delete <strong>{deleting?.title || deleting?.name}</strong>? A class that boxes still
            use cannot be deleted; reassign or remove those boxes first.
          </p>
        }
        confirmLabel="Delete class"
        danger
        busy={busy}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}

function ClassFields({
  draft,
  setDraft,
  classes,
  selfId,
}: {
  draft: ClassDraft;
  setDraft: (draft: ClassDraft) => void;
  classes: DefectClass[];
  selfId?: string;
}) {
  return (
    <>
      <input
        type="color"
        value={draft.color}
        onChange={(event) => setDraft({ ...draft, color: event.target.value })}
        aria-label="Colour"
        className="color-input"
      />
      <input
        value={draft.name}
        onChange={(event) => setDraft({ ...draft, name: event.target.value })}
        aria-label="Name"
        placeholder="name"
        required
      />
      <input
        value={draft.title}
        onChange={(event) => setDraft({ ...draft, title: event.target.value })}
        aria-label="Title"
        placeholder="Title"
      />
      <select
        value={draft.assetType}
        onChange={(event) => setDraft({ ...draft, assetType: event.target.value as AssetType })}
        aria-label="Asset type"
      >
        {ASSET_TYPES.map((assetType) => (
          <option key={assetType} value={assetType}>
            {titleCase(assetType)}
          </option>
        ))}
      </select>
      <select
        value={draft.parentId}
        onChange={(event) => setDraft({ ...draft, parentId: event.target.value })}
        aria-label="Parent class"
      >
        <option value="">No parent</option>
        {classes
          .filter((candidate) => candidate.id !== selfId)
          .map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
      </select>
      <select
        value={draft.hostClassId}
        onChange={(event) => setDraft({ ...draft, hostClassId: event.target.value })}
        aria-label="Host class"
        title="The class this defect sits on: composite fills place it inside that class's boxes"
      >
        <option value="">No host class</option>
        {classes
          .filter((candidate) => candidate.id !== selfId)
          .map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              on {candidate.name}
            </option>
          ))}
      </select>
      <label title="An object class such as insulator or tower: not filled, and its boxes leave a host image clean">
        <input
          type="checkbox"
          checked={draft.isHostObject}
          onChange={(event) => setDraft({ ...draft, isHostObject: event.target.checked })}
        />{" "}
        host object
      </label>
    </>
  );
}

function ClassEditRow({
  index,
  defectClass,
  classes,
  busy,
  onSave,
  onCancel,
}: {
  index: number;
  defectClass: DefectClass;
  classes: DefectClass[];
  busy: boolean;
  onSave: (draft: ClassDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(defectClass));
  return (
    <tr className="class-table__editing">
      <td className="muted">{index < 9 ? index + 1 : ""}</td>
      <td colSpan={5}>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            onSave(draft);
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") onCancel();
          }}
        >
          <ClassFields
            draft={draft}
            setDraft={setDraft}
            classes={classes}
            selfId={defectClass.id}
          />
          <button
            type="submit"
            className="button button--small button--primary"
            disabled={busy || !toClassName(draft.name)}
          >
            Save
          </button>
          <button type="button" className="button button--small" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </form>
      </td>
      <td />
    </tr>
  );
}

function AddClassForm({
  classes,
  datasetId,
  onAdded,
}: {
  classes: DefectClass[];
  datasetId: string;
  onAdded: () => Promise<unknown>;
}) {
  const empty = (): ClassDraft => ({
    name: "",
    title: "",
    color: nextClassColor(classes.map((c) => c.color)),
    assetType: "OTHER",
    parentId: "",
    hostClassId: "",
    isHostObject: false,
  });
  const [draft, setDraft] = useState<ClassDraft>(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = toClassName(draft.name);
    if (!name) return;
    setBusy(true);
    setError(null);
    try {
      await gql(CREATE_CLASS, {
        datasetId,
        input: {
          name,
          title: draft.title.trim() || undefined,
          color: draft.color,
          assetType: draft.assetType,
          parentId: draft.parentId || undefined,
          hostClassId: draft.hostClassId || undefined,
          isHostObject: draft.isHostObject,
        },
      });
      await onAdded();
      setDraft({
        name: "",
        title: "",
        color: nextClassColor([...classes.map((c) => c.color), draft.color]),
        assetType: draft.assetType,
        parentId: "",
        hostClassId: "",
        isHostObject: false,
      });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="inline-form add-class"
      onSubmit={submit}
      aria-label="Add a defect class"
      data-testid="add-class-form"
    >
      <span className="inline-form__label">Add class</span>
      <ClassFields draft={draft} setDraft={setDraft} classes={classes} />
      <button
        type="submit"
        className="button button--small button--primary"
        disabled={busy || !toClassName(draft.name)}
      >
        {busy ? "Adding…" : "Add"}
      </button>
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
    </form>
  );
}
