"use client";

import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { ACTIVATE_MODEL, MODEL_VERSIONS, type ModelVersion } from "./models.graphql";
import { MetricsTable } from "./MetricsTable";
import { RegisterModelForm } from "./RegisterModelForm";
import { ErrorBanner } from "../ui/Dialog";
import { EmptyState } from "../ui/states";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
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
        <QueryView
          error={error}
          data={models}
          keepDataOnError
          onRetry={refetch}
          loading="Loading models…"
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState title="No models registered" testId="models-empty">
              <p>
                {isAdmin
                  ? "Register a generator below to start filling under-represented classes."
                  : "An administrator has to register a generator before fills can run."}
              </p>
            </EmptyState>
          }
        >
          {(models) => (
            <DataTable
              className="models-table"
              testId="models-table"
              rows={models}
              rowKey={(model) => model.id}
              rowProps={(model) => ({
                "data-testid": "model-row",
                "data-name": model.name,
                "data-version": model.version,
                "data-status": model.status,
              })}
              columns={[
                {
                  header: "Model",
                  rowHeader: true,
                  cell: (model) => (
                    <>
                      {model.name} <span className="muted">{model.version}</span>
                      <div className="muted">{formatDateTime(model.createdAt)}</div>
                    </>
                  ),
                },
                {
                  header: "Status",
                  cell: (model) => (
                    <span className={model.status === "ACTIVE" ? "status status--ready" : "status"}>
                      {titleCase(model.status)}
                    </span>
                  ),
                },
                {
                  header: "Image",
                  numeric: true,
                  cell: (model) => `${model.imageSize}×${model.imageSize}`,
                },
                {
                  header: "K",
                  title: "Reference images per sample",
                  numeric: true,
                  cell: (model) => model.shots,
                },
                {
                  header: "N",
                  title: "Feature-grid cells fused per sample",
                  numeric: true,
                  cell: (model) => model.fusedPositions,
                },
                {
                  header: "Classes seen in training",
                  cell: (model) =>
                    model.classNames.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <span className="models-table__classes">{model.classNames.join(", ")}</span>
                    ),
                },
                {
                  header: "Generator",
                  cell: (model) => (
                    <>
                      <span className="mono" title={model.generatorSha256}>
                        {model.generatorSha256.slice(0, 12)}
                      </span>
                      <div className="muted">
                        {formatBytes(model.generatorBytes)}
                        {model.hasCritic ? " · with critic" : " · no critic (no scores)"}
                      </div>
                    </>
                  ),
                },
                { header: "Metrics", cell: (model) => <MetricsTable metrics={model.metrics} /> },
                {
                  header: "Requests",
                  numeric: true,
                  cell: (model) => formatCount(model.requestCount),
                },
                {
                  header: "Actions",
                  hideHeader: true,
                  cellProps: () => ({ className: "actions-col" }),
                  cell: (model) =>
                    isAdmin &&
                    model.status !== "ACTIVE" && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void activate(model)}
                        disabled={activating !== null}
                        data-testid="model-activate"
                      >
                        {activating === model.id ? "Activating…" : "Activate"}
                      </button>
                    ),
                },
              ]}
            />
          )}
        </QueryView>
      </section>

      {isAdmin && <RegisterModelForm onRegistered={() => void refetch()} />}
    </main>
  );
}
