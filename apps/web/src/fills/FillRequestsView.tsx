"use client";

import { useState } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useDataset } from "../datasets/DatasetContext";
import { errorMessage, gql } from "../graphql/client";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { CANCEL_FILL, type FillRequest, type FillStatus } from "./fills.graphql";
import { useLiveFillRequests, type LiveMode } from "./useLiveFillRequests";
import { ErrorBanner } from "../ui/Dialog";
import { EmptyState } from "../ui/states";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { Swatch } from "../ui/ClassLabel";
import { formatCount, formatDateTime, titleCase } from "../ui/format";

const STATUS_CLASS: Record<FillStatus, string> = {
  QUEUED: "status",
  RUNNING: "status status--running",
  SUCCEEDED: "status status--ready",
  FAILED: "status status--failed",
  CANCELLED: "status status--blocked",
};

const MODE_LABEL: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  polling: "Refreshing every 2 s",
};

/** The dataset's fill requests with live progress, cancel and a way into the review queue. */
export function FillRequestsView() {
  const { dataset } = useDataset();
  const user = useSessionUser();
  const canCurate = hasRole(user, "CURATOR");
  const created = useSearchParams().get("created");
  const { requests, error, mode, refetch, replace } = useLiveFillRequests(dataset.id);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function cancel(request: FillRequest) {
    setCancelling(request.id);
    setActionError(null);
    try {
      replace((await gql(CANCEL_FILL, { id: request.id })).cancelFill);
    } catch (caught) {
      setActionError(`Could not cancel: ${errorMessage(caught)}`);
    } finally {
      setCancelling(null);
    }
  }

  const base = `/datasets/${dataset.id}`;

  return (
    <main className="page page--wide">
      <section className="card section" aria-labelledby="fills-heading" data-testid="fills-page">
        <header className="section__header">
          <div>
            <h2 id="fills-heading">Fill requests</h2>
            <p className="muted">
              Synthetic images requested per class, newest first. Start one from a class&apos;s Fill
              button on the <Link href={base}>overview</Link>.
            </p>
          </div>
          <span
            className={mode === "live" ? "status status--ready" : "status"}
            data-testid="fills-live-mode"
            data-mode={mode}
            title={
              mode === "live"
                ? "Progress is pushed by the API as it happens."
                : "No live connection to the API; the list is re-read every 2 seconds."
            }
          >
            {MODE_LABEL[mode]}
          </span>
        </header>

        {actionError && (
          <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
        )}

        <QueryView
          error={error}
          data={requests}
          keepDataOnError
          onRetry={refetch}
          loading="Loading fill requests…"
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState title="No fill requests yet" testId="fills-empty">
              <p>
                Open the <Link href={base}>overview</Link> and use <strong>Fill…</strong> on a class
                in the fill plan to generate synthetic images for it.
              </p>
            </EmptyState>
          }
        >
          {(requests) => (
            <>
              {error !== undefined && (
                <p className="hint hint--warn">
                  Could not refresh: {errorMessage(error)}. Showing the last known state.
                </p>
              )}
              <DataTable
                className="fills-table"
                testId="fills-table"
                rows={requests}
                rowKey={(request) => request.id}
                renderRow={(request) => (
                  <FillRow
                    key={request.id}
                    request={request}
                    highlighted={request.id === created}
                    reviewHref={`${base}/review?request=${encodeURIComponent(request.id)}`}
                    canCancel={canCurate}
                    cancelling={cancelling === request.id}
                    onCancel={() => void cancel(request)}
                  />
                )}
                columns={[
                  { header: "Class" },
                  { header: "Model" },
                  { header: "Status" },
                  { header: "Progress" },
                  { header: "Requested" },
                  { header: "Finished" },
                  { header: "Actions", hideHeader: true },
                ]}
              />
            </>
          )}
        </QueryView>
      </section>
    </main>
  );
}

function FillRow({
  request,
  highlighted,
  reviewHref,
  canCancel,
  cancelling,
  onCancel,
}: {
  request: FillRequest;
  highlighted: boolean;
  reviewHref: string;
  canCancel: boolean;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const active = request.status === "QUEUED" || request.status === "RUNNING";
  const label = request.defectClass.title || request.defectClass.name;
  return (
    <tr
      className={highlighted ? "row--selected" : undefined}
      data-testid="fill-request-row"
      data-id={request.id}
      data-class={request.defectClass.name}
      data-status={request.status}
      data-completed={request.completed}
      data-count={request.count}
    >
      <th scope="row">
        <Swatch color={request.defectClass.color} /> {label}
        <div className="muted fills-table__seed" title="The request's seed">
          seed <span className="mono">{request.seed}</span>
        </div>
      </th>
      <td>
        {request.model ? (
          <>
            {request.model.name} <span className="muted">{request.model.version}</span>
          </>
        ) : (
          "Copy-paste"
        )}
        <div className="muted">
          {request.output === "CROP" ? "crops" : "composites"}
          {request.bestOf > 1 && `, best of ${request.bestOf}`}
        </div>
        {request.executionProvider && <div className="muted">on {request.executionProvider}</div>}
      </td>
      <td>
        <span className={STATUS_CLASS[request.status]} data-testid="fill-status">
          {titleCase(request.status)}
        </span>
        {request.error && (
          <div className="fills-table__error" role="alert" data-testid="fill-error">
            {request.error}
          </div>
        )}
      </td>
      <td className="fills-table__progress">
        <progress
          max={request.count}
          value={request.completed}
          aria-label={`${label}: ${request.completed} of ${request.count} images made`}
        />
        <span data-testid="fill-progress" aria-live="polite">
          {formatCount(request.completed)}/{formatCount(request.count)}
        </span>
      </td>
      <td>
        {formatDateTime(request.createdAt)}
        {request.requestedBy && <div className="muted">{request.requestedBy.name}</div>}
      </td>
      <td>
        {request.cancelledAt
          ? `Cancelled ${formatDateTime(request.cancelledAt)}`
          : formatDateTime(request.finishedAt)}
        {request.startedAt && !request.finishedAt && (
          <div className="muted">started {formatDateTime(request.startedAt)}</div>
        )}
      </td>
      <td className="actions-col">
        <div className="inline-controls">
          {request.completed > 0 && (
            <Link className="button button--small" href={reviewHref} data-testid="fill-review">
              Review
            </Link>
          )}
          {active && canCancel && (
            <button
              type="button"
              className="button button--small button--danger-ghost"
              onClick={onCancel}
              disabled={cancelling}
              data-testid="fill-cancel"
            >
              {cancelling ? "Cancelling…" : "Cancel"}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
