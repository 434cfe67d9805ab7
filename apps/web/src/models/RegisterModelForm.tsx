"use client";

import { useRef, useState, type FormEvent } from "react";
import { errorMessage, gql } from "../graphql/client";
import { REGISTER_MODEL, REQUEST_MODEL_UPLOAD } from "./models.graphql";
import { xhrPut } from "../images/uploadBatch";
import { sha256Hex } from "../images/sha256";
import { ErrorBanner } from "../ui/Dialog";
import { Field } from "../ui/Field";
import { formatBytes } from "../ui/format";

type Phase = "idle" | "hashing" | "uploading" | "registering";

const PHASE_LABEL: Record<Phase, string> = {
  idle: "",
  hashing: "Computing the generator's sha256…",
  uploading: "Uploading…",
  registering: "Verifying the ONNX files and registering…",
};

/** Uploads a generator (and its critic) with progress, then registers them. */
export function RegisterModelForm({ onRegistered }: { onRegistered: () => void }) {
  const [name, setName] = useState("mvsa-gan");
  const [version, setVersion] = useState("");
  const [generator, setGenerator] = useState<File | null>(null);
  const [critic, setCritic] = useState<File | null>(null);
  const [metrics, setMetrics] = useState("");
  const [activate, setActivate] = useState(false);
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState({ generator: 0, critic: 0 });
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = phase !== "idle";

  function parseMetrics(): unknown | string {
    if (!metrics.trim()) return null;
    try {
      const value: unknown = JSON.parse(metrics);
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return 'Metrics must be a JSON object, e.g. {"fid": 41.2}.';
      return value;
    } catch (caught) {
      return `Metrics are not valid JSON: ${errorMessage(caught)}`;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!generator) return;
    const parsedMetrics = parseMetrics();
    if (typeof parsedMetrics === "string") {
      setError(parsedMetrics);
      return;
    }
    setError(null);
    setRegistered(null);
    setProgress({ generator: 0, critic: 0 });
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      setPhase("hashing");
      const generatorSha256 = await sha256Hex(await generator.arrayBuffer());
      setPhase("uploading");
      const ticket = (
        await gql(REQUEST_MODEL_UPLOAD, {
          generatorBytes: generator.size,
          criticBytes: critic?.size ?? null,
        })
      ).requestModelUpload;
      const headers = ticket.headers ?? {};
      await xhrPut(
        ticket.generatorUrl,
        headers,
        generator,
        (fraction) => setProgress((previous) => ({ ...previous, generator: fraction })),
        controller.signal,
      );
      setProgress((previous) => ({ ...previous, generator: 1 }));
      if (critic && ticket.criticUrl) {
        await xhrPut(
          ticket.criticUrl,
          headers,
          critic,
          (fraction) => setProgress((previous) => ({ ...previous, critic: fraction })),
          controller.signal,
        );
        setProgress((previous) => ({ ...previous, critic: 1 }));
      }
      setPhase("registering");
      const model = (
        await gql(REGISTER_MODEL, {
          input: {
            name: name.trim(),
            version: version.trim(),
            generatorKey: ticket.generatorKey,
            criticKey: critic ? ticket.criticKey : null,
            generatorSha256,
            metrics: parsedMetrics,
            activate,
          },
        })
      ).registerModel;
      setRegistered(`${model.name} ${model.version}`);
      setGenerator(null);
      setCritic(null);
      setVersion("");
      setMetrics("");
      formRef.current?.reset();
      onRegistered();
    } catch (caught) {
      setError(controller.signal.aborted ? "Upload cancelled." : errorMessage(caught));
    } finally {
      abortRef.current = null;
      setPhase("idle");
    }
  }

  return (
    <section
      className="card section"
      aria-labelledby="register-heading"
      data-testid="register-model"
    >
      <header className="section__header">
        <div>
          <h2 id="register-heading">Register a model</h2>
          <p className="muted">
            The generator&apos;s ONNX metadata gives its image size, K, N and training classes; the
            optional critic scores every generated image (realism, class, distance to references).
          </p>
        </div>
      </header>
      <form ref={formRef} className="form" onSubmit={submit}>
        <div className="form-row">
          <Field label="Name">
            <input
              required
              value={name}
              onChange={(event) => setName(event.target.value)}
              disabled={busy}
              data-testid="model-name"
            />
          </Field>
          <Field label="Version" narrow>
            <input
              required
              value={version}
              onChange={(event) => setVersion(event.target.value)}
              placeholder="e.g. 1.2.0"
              disabled={busy}
              data-testid="model-version"
            />
          </Field>
          <Field label="Generator (.onnx)">
            <input
              type="file"
              accept=".onnx"
              required
              onChange={(event) => setGenerator(event.target.files?.[0] ?? null)}
              disabled={busy}
              data-testid="model-generator"
            />
          </Field>
          <Field label="Critic (.onnx, optional)">
            <input
              type="file"
              accept=".onnx"
              onChange={(event) => setCritic(event.target.files?.[0] ?? null)}
              disabled={busy}
              data-testid="model-critic"
            />
          </Field>
        </div>
        <Field label="Metrics (JSON, optional)">
          <textarea
            rows={2}
            value={metrics}
            onChange={(event) => setMetrics(event.target.value)}
            placeholder='{"fid": 41.2, "lpips": 0.31}'
            disabled={busy}
            data-testid="model-metrics-input"
          />
        </Field>
        <label className="field--inline checkbox">
          <input
            type="checkbox"
            checked={activate}
            onChange={(event) => setActivate(event.target.checked)}
            disabled={busy}
          />
          <span>Make it the active model</span>
        </label>

        {busy && (
          <div className="model-upload" role="status" aria-live="polite" data-testid="model-upload">
            <span>{PHASE_LABEL[phase]}</span>
            <label className="model-upload__bar">
              <span className="muted">
                Generator {generator && `(${formatBytes(generator.size)})`}
              </span>
              <progress max={1} value={progress.generator} />
            </label>
            {critic && (
              <label className="model-upload__bar">
                <span className="muted">Critic ({formatBytes(critic.size)})</span>
                <progress max={1} value={progress.critic} />
              </label>
            )}
          </div>
        )}
        {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
        {registered && (
          <p className="hint" role="status" data-testid="model-registered">
            Registered {registered}.
          </p>
        )}
        <footer className="dialog__footer">
          {phase === "uploading" && (
            <button type="button" className="button" onClick={() => abortRef.current?.abort()}>
              Cancel upload
            </button>
          )}
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !generator || !name.trim() || !version.trim()}
            data-testid="model-register"
          >
            {busy ? "Working…" : "Upload and register"}
          </button>
        </footer>
      </form>
    </section>
  );
}
