"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { errorMessage, gql } from "../graphql/client";
import { CREATE_DATASET } from "./datasets.graphql";
import { nextClassColors, parseClassList } from "../classes/classes.graphql";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { ClassChip } from "../ui/ClassLabel";

/** Title for a class created from its name: "flashover_burn" → "Flashover burn". */
function titleFromName(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function CreateDatasetDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [classList, setClassList] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const classes = parseClassList(classList);
  const colors = nextClassColors([], classes.length);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { createDataset } = await gql(CREATE_DATASET, {
        input: {
          name: name.trim(),
          description: description.trim(),
          classes: classes.map((className, index) => ({
            name: className,
            title: titleFromName(className),
            color: colors[index],
          })),
        },
      });
      router.push(`/datasets/${createDataset.id}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      title="New dataset"
      onClose={() => !busy && onClose()}
      testId="create-dataset-dialog"
    >
      <form onSubmit={submit} className="form" data-testid="create-dataset-form">
        <Field label="Name">
          <input
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. insulators-2025"
            autoFocus
            data-testid="dataset-name-input"
          />
        </Field>
        <Field label="Description">
          <textarea
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            placeholder="What the images show, where they come from"
            data-testid="dataset-description-input"
          />
        </Field>
        <Field label="Defect classes">
          <input
            value={classList}
            onChange={(event) => setClassList(event.target.value)}
            placeholder="insulator_crack, flashover, missing_pin"
            data-testid="dataset-classes-input"
            aria-describedby="classes-hint"
          />
          <small id="classes-hint" className="muted">
            Comma-separated. You can add, rename and recolour classes later.
          </small>
        </Field>
        {classes.length > 0 && (
          <div className="class-preview" aria-label="Classes to create">
            {classes.map((className, index) => (
              <ClassChip key={className} color={colors[index] ?? ""} label={className} />
            ))}
          </div>
        )}
        {error && <ErrorBanner message={error} />}
        <footer className="dialog__footer">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !name.trim()}
            data-testid="create-dataset-submit"
          >
            {busy ? "Creating…" : "Create dataset"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
