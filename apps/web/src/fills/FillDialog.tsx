"use client";

import { useEffect, useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { MODEL_CHOICES } from "../models/models.graphql";
import type { ClassFill } from "../balance/balance.graphql";
import { REQUEST_FILL } from "./fills.graphql";
import { parseFillForm } from "./fillForm";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Spinner } from "../ui/states";
import { Field } from "../ui/Field";
import {
  BestOfField,
  DEFAULT_FILL_OPTIONS,
  FillOptionFields,
  fillOptionInput,
} from "./FillOptions";
import { FillPreviewStrip } from "./FillPreviewStrip";
import { utilityEvidence } from "./utilityEvidence";

/**
 * Queues a fill for one class: the count comes pre-filled from the fill plan, the model defaults
 * to the active one. A refusal (too few real train images, a count over the limit, a broken model)
 * stays in the dialog; a queued request opens the fills page.
 */
export function FillDialog({
  datasetId,
  entry,
  onClose,
}: {
  datasetId: string;
  entry: ClassFill | null;
  onClose: () => void;
}) {
  const open = entry !== null;
  return (
    <Dialog
      open={open}
      title={entry ? `Fill “${entry.defectClass.title || entry.defectClass.name}”` : "Fill"}
      onClose={onClose}
      testId="fill-dialog"
    >
      {entry && (
        <FillForm
          key={entry.defectClass.id}
          datasetId={datasetId}
          entry={entry}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function FillForm({
  datasetId,
  entry,
  onClose,
}: {
  datasetId: string;
  entry: ClassFill;
  onClose: () => void;
}) {
  const router = useRouter();
  const models = useQuery(MODEL_CHOICES, {});
  const [count, setCount] = useState(String(Math.max(1, entry.toGenerate)));
  const [seed, setSeed] = useState("");
  const [modelId, setModelId] = useState("");
  const [options, setOptions] = useState(DEFAULT_FILL_OPTIONS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queuedId, setQueuedId] = useState<string | null>(null);

  const choices = models.data?.modelVersions;
  const active = choices?.find((model) => model.status === "ACTIVE");
  useEffect(() => {
    if (!modelId && choices && choices.length > 0) setModelId((active ?? choices[0]!).id);
  }, [active, choices, modelId]);

  const chosen = choices?.find((model) => model.id === modelId);
  // Only a model with a critic can keep the best of several candidates.
  const hasCritic = chosen?.hasCritic ?? false;
  // The benchmark decides the default method: copy-paste unless the model was shown to beat it.
  const evidence = utilityEvidence(chosen?.metrics);
  const [methodChosen, setMethodChosen] = useState(false);
  useEffect(() => {
    if (!methodChosen && evidence?.suggested === "COPY_PASTE" && options.method === "MODEL")
      setOptions({ ...options, method: "COPY_PASTE", output: "COMPOSITE" });
  }, [evidence?.suggested, methodChosen, options]);

  const parsed = parseFillForm(count, seed);
  const invalid = typeof parsed === "string" ? parsed : null;
  const fillsHref = `/datasets/${datasetId}/fills`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (typeof parsed === "string") return;
    setBusy(true);
    setError(null);
    try {
      const { requestFill } = await gql(REQUEST_FILL, {
        input: {
          datasetId,
          classId: entry.defectClass.id,
          count: parsed.count,
          seed: parsed.seed,
          ...fillOptionInput(options, modelId, hasCritic),
        },
      });
      setQueuedId(requestFill.id);
      router.push(`${fillsHref}?created=${encodeURIComponent(requestFill.id)}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  if (queuedId) {
    return (
      <div className="dialog__content" data-testid="fill-queued">
        <p>
          Fill queued.{" "}
          <Link href={`${fillsHref}?created=${encodeURIComponent(queuedId)}`}>
            Follow its progress
          </Link>
          .
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="form" data-testid="fill-form">
      <p className="muted">
        {entry.realTrainImages} real train images · currently {entry.current}, target {entry.target}
        . The fill plan suggests {entry.toGenerate > 0 ? `+${entry.toGenerate}` : "none"}.
      </p>
      <div className="form-row">
        <Field label="Images" narrow>
          <input
            type="number"
            min={1}
            step={1}
            required
            value={count}
            onChange={(event) => setCount(event.target.value)}
            autoFocus
            data-testid="fill-dialog-count"
          />
        </Field>
        <Field label="Seed (optional)">
          <input
            inputMode="numeric"
            value={seed}
            onChange={(event) => setSeed(event.target.value)}
            placeholder="random"
            aria-describedby="fill-seed-hint"
            data-testid="fill-dialog-seed"
          />
        </Field>
      </div>
      <small id="fill-seed-hint" className="muted">
        The same seed, model and references make the same images again.
      </small>
      <FillOptionFields
        value={options}
        onChange={(next) => {
          if (next.method !== options.method) setMethodChosen(true);
          setOptions(next);
        }}
        evidence={evidence}
      />
      <div className="field" hidden={options.method !== "MODEL"}>
        <span id="fill-model-label">Model</span>
        {models.error && !choices ? (
          <ErrorBanner message={`Could not load the models: ${errorMessage(models.error)}`} />
        ) : !choices ? (
          <Spinner label="Loading models…" />
        ) : choices.length === 0 ? (
          <span className="hint hint--warn" data-testid="fill-no-model">
            No model is registered. <Link href="/models">Register one</Link> first.
          </span>
        ) : (
          <select
            value={modelId}
            onChange={(event) => setModelId(event.target.value)}
            aria-labelledby="fill-model-label"
            data-testid="fill-dialog-model"
          >
            {choices.map((model) => (
              <option key={model.id} value={model.id}>
                {model.name} {model.version} · K={model.shots}
                {model.status === "ACTIVE" ? " (active)" : ""}
              </option>
            ))}
          </select>
        )}
      </div>
      {options.method === "MODEL" && hasCritic && (
        <BestOfField
          value={options.bestOf}
          onChange={(bestOf) => setOptions({ ...options, bestOf })}
        />
      )}
      <FillPreviewStrip
        onPreviewed={(previewSeed) => setSeed((current) => current || previewSeed)}
        input={
          typeof parsed === "string"
            ? null
            : {
                datasetId,
                classId: entry.defectClass.id,
                count: parsed.count,
                seed: parsed.seed,
                ...fillOptionInput(options, modelId, hasCritic),
              }
        }
      />
      {invalid && count !== "" && <p className="hint hint--warn">{invalid}</p>}
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      <footer className="dialog__footer">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button--primary"
          disabled={
            busy ||
            invalid !== null ||
            (options.method === "MODEL" && (!choices || choices.length === 0))
          }
          data-testid="fill-dialog-submit"
        >
          {busy ? "Queueing…" : "Queue fill"}
        </button>
      </footer>
    </form>
  );
}
