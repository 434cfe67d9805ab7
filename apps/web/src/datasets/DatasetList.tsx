"use client";

import { useState } from "react";
import Link from "next/link";
import { gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { DATASETS, type DatasetSummary } from "./datasets.graphql";
import { CreateDatasetDialog } from "./CreateDatasetDialog";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount, formatDate, formatDateTime } from "../ui/format";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { ClassChip, classTitle } from "../ui/ClassLabel";

const PAGE = 50;

export function DatasetList() {
  const user = useSessionUser();
  const { data, error, loading, refetch, setData } = useQuery(DATASETS, { first: PAGE });
  const [creating, setCreating] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const canCreate = hasRole(user, "CURATOR");

  async function loadMore() {
    const after = data?.datasets.pageInfo.endCursor;
    if (!after) return;
    setLoadingMore(true);
    try {
      const next = await gql(DATASETS, { first: PAGE, after });
      setData(
        (previous) =>
          previous && {
            datasets: {
              edges: [...previous.datasets.edges, ...next.datasets.edges],
              pageInfo: next.datasets.pageInfo,
            },
          },
      );
    } finally {
      setLoadingMore(false);
    }
  }

  const datasets = data?.datasets.edges.map((edge) => edge.node) ?? [];

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Datasets</h1>
          <p className="muted">
            Inspection image collections, their defect classes and their balance.
          </p>
        </div>
        {canCreate && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => setCreating(true)}
            data-testid="create-dataset-button"
          >
            New dataset
          </button>
        )}
      </div>

      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : loading && !data ? (
        <Spinner label="Loading datasets…" />
      ) : datasets.length === 0 ? (
        <EmptyState title="No datasets yet" testId="datasets-empty">
          <p>
            A dataset holds inspection images, their defect classes and boxes.
            {canCreate ? " Create one to start uploading." : " Ask a curator to create one."}
          </p>
          {canCreate && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => setCreating(true)}
            >
              Create your first dataset
            </button>
          )}
        </EmptyState>
      ) : (
        <>
          <ul className="dataset-grid" data-testid="dataset-list">
            {datasets.map((dataset) => (
              <li key={dataset.id}>
                <DatasetCard dataset={dataset} />
              </li>
            ))}
          </ul>
          {data?.datasets.pageInfo.hasNextPage && (
            <div className="center">
              <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? "Loading…" : "Show more"}
              </button>
            </div>
          )}
        </>
      )}

      <CreateDatasetDialog open={creating} onClose={() => setCreating(false)} />
    </main>
  );
}

function DatasetCard({ dataset }: { dataset: DatasetSummary }) {
  const shown = dataset.classes.slice(0, 6);
  return (
    <Link
      href={`/datasets/${dataset.id}`}
      className="card dataset-card"
      data-testid="dataset-card"
      data-dataset-name={dataset.name}
    >
      <h2 className="dataset-card__name">{dataset.name}</h2>
      <p className="dataset-card__description">
        {dataset.description || <span className="muted">No description</span>}
      </p>
      <div className="dataset-card__classes" aria-label="Defect classes">
        {shown.map((defectClass) => (
          <ClassChip
            key={defectClass.id}
            color={defectClass.color}
            label={classTitle(defectClass)}
          />
        ))}
        {dataset.classes.length > shown.length && (
          <span className="muted">+{dataset.classes.length - shown.length} more</span>
        )}
        {dataset.classes.length === 0 && <span className="muted">No classes</span>}
      </div>
      <footer className="dataset-card__footer">
        <span>
          <strong>{formatCount(dataset.imageCount)}</strong> images
        </span>
        <span>
          <strong>{dataset.classes.length}</strong> classes
        </span>
        <span className="muted" title={formatDateTime(dataset.updatedAt)}>
          Updated {formatDate(dataset.updatedAt)}
        </span>
      </footer>
    </Link>
  );
}
