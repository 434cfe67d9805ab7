"use client";

import { useRef, useState, type FormEvent } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import {
  ACTIVATE_MODEL,
  MODEL_VERSIONS,
  REGISTER_MODEL,
  REQUEST_MODEL_UPLOAD,
  type ModelVersion,
} from "./models.graphql";
import { metricRows } from "./metrics";
import { xhrPut } from "../images/uploadBatch";
import { sha256Hex } from "../images/sha256";
import { ErrorBanner } from "../ui/Dialog";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatBytes, formatCount, formatDateTime, titleCase } from "../ui/format";

/** The model registry: registered generators, which one fills use, and registering a new one. */
export function ModelRegistry() {
  const user = useSessionUser();
  const isAdmin = hasRole(user, "ADMIN");
  const { data, error, loading, refetch } = useQuery(MODEL_VERSIONS, {});
  const [activating, setActivating] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const models = data?.modelVersions;

  async function activate(model: ModelVersion) {
    setActivating(model.id);
    setActionError(null);
    try {
      await gql(ACTIVATE_MODEL, { id: model.id });
      await refetch();
    } catch (caught) {
      setActionError(`Could not activate ${model.name} ${model.version}: ${errorMessage(caught)}`);
    } finally {
      setActivating(null);
    }
  }

  return (
    <main className="page page--wide">
      <div className="page-header">
        <div>
          <h1>Models</h1>
          <p className="muted">
            MVSA-GAN generators (and their critics) fills can use, pinned by sha256. Fills use the
            active model unless a request names another.
          </p>
        </div>
        {loading && data && <span className="spinner spinner--small" aria-label="Updating" />}
      </div>

      {actionError && <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />}

      <section className="card section" aria-labelledby="models-heading" data-testid="models">
        <header className="section__header">
          <h2 id="models-heading">Registered models</h2>
        </header>
        {error && !models ? (
          <LoadError error={error} onRetry={() => void refetch()} />
        ) : !models ? (
          <Spinner label="Loading models…" />
        ) : models.length === 0 ? (
          <EmptyState title="No models registered" testId="models-empty">
            <p>
              {isAdmin
                ? "Register a generator below to start filling under-represented classes."
                : "An administrator has to register a generator before fills can run."}
            </p>
          </EmptyState>
        ) : (
          <table className="table models-table" data-testid="models-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Image
                </th>
                <th scope="col" className="num" title="Reference images per sample">
                  K
                </th>
                <th scope="col" className="num" title="Feature-grid cells fused per sample">
                  N
                </th>
                <th scope="col">Classes seen in training</th>
                <th scope="col">Generator</th>
                <th scope="col">Metrics</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <tr
                  key={model.id}
                  data-testid="model-row"
                  data-name={model.name}
                  data-version={model.version}
                  data-status={model.status}
                >
                  <th scope="row">
                    {model.name} <span className="muted">{model.version}</span>
                    <div className="muted">{formatDateTime(model.createdAt)}</div>
                  </th>
                  <td>
                    <span className={model.status === "ACTIVE" ? "status status--ready" : "status"}>
                      {titleCase(model.status)}
                    </span>
                  </td>
                  <td className="num">
                    {model.imageSize}×{model.imageSize}
                  </td>
                  <td className="num">{model.shots}</td>
                  <td className="num">{model.fusedPositions}</td>
                  <td>
                    {model.classNames.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <span className="models-table__classes">{model.classNames.join(", ")}</span>
                    )}
                  </td>
                  <td>
                    <span className="mono" title={model.generatorSha256}>
                      {model.generatorSha256.slice(0, 12)}
                    </span>
                    <div className="muted">
                      {formatBytes(model.generatorBytes)}
                      {model.hasCritic ? " · with critic" : " · no critic (no scores)"}
                    </div>
                  </td>
                  <td>
                    <MetricsTable metrics={model.metrics} />
                  </td>
                  <td className="num">{formatCount(model.requestCount)}</td>
                  <td className="actions-col">
                    {isAdmin && model.status !== "ACTIVE" && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void activate(model)}
                        disabled={activating !== null}
                        data-testid="model-activate"
                      >
                        {activating === model.id ? "Activating…" : "Activate"}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {isAdmin && <RegisterModelForm onRegistered={() => void refetch()} />}
    </main>
  );
}

/** A model card's metrics as a small key / value table. */
export function MetricsTable({ metrics }: { metrics: unknown }) {
  const rows = metricRows(metrics);
  if (rows === null || (Array.isArray(rows) && rows.length === 0))
    return <span className="muted">—</span>;
  if (typeof rows === "string") return <span className="mono">{rows}</span>;
  return (
    <table className="kv-table" data-testid="model-metrics">
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.key}</th>
            <td className="mono">{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Phase = "idle" | "hashing" | "uploading" | "registering";

const PHASE_LABEL: Record<Phase, string> = {
  idle: "",
  hashing: "Computing the generator's sha256…",
  uploading: "Uploading…",
  registering: "Verifying the ONNX files and registering…",
};

function RegisterModelForm({ onRegistered }: { onRegistered: () => void }) {
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
      const ticket = (await gql(REQUEST_MODEL_UPLOAD)).requestModelUpload;
      const headers = ticket.headers ?? {};
      await xhrPut(
        ticket.generatorUrl,
        headers,
        generator,
        (fraction) => setProgress((previous) => ({ ...previous, generator: fraction })),
        controller.signal,
      );
      setProgress((previous) => ({ ...previous, generator: 1 }));
      if (critic) {
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
          <label className="field">
            <span>Name</span>
            <input
              required
              value={name}
              onChange={(event) => setName(event.target.value)}
              disabled={busy}
              data-testid="model-name"
            />
          </label>
          <label className="field field--narrow">
            <span>Version</span>
            <input
              required
              value={version}
              onChange={(event) => setVersion(event.target.value)}
              placeholder="e.g. 1.2.0"
              disabled={busy}
              data-testid="model-version"
            />
          </label>
          <label className="field">
            <span>Generator (.onnx)</span>
            <input
              type="file"
              accept=".onnx"
              required
              onChange={(event) => setGenerator(event.target.files?.[0] ?? null)}
              disabled={busy}
              data-testid="model-generator"
            />
          </label>
          <label className="field">
            <span>Critic (.onnx, optional)</span>
            <input
              type="file"
              accept=".onnx"
              onChange={(event) => setCritic(event.target.files?.[0] ?? null)}
              disabled={busy}
              data-testid="model-critic"
            />
          </label>
        </div>
        <label className="field">
          <span>Metrics (JSON, optional)</span>
          <textarea
            rows={2}
            value={metrics}
            onChange={(event) => setMetrics(event.target.value)}
            placeholder='{"fid": 41.2, "lpips": 0.31}'
            disabled={busy}
            data-testid="model-metrics-input"
          />
        </label>
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
