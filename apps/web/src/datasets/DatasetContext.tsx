"use client";

import { createContext, useContext, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "../graphql/useQuery";
import { DATASET, type Dataset } from "./datasets.graphql";
import { EmptyState, LoadError, Spinner } from "../ui/states";

interface DatasetContextValue {
  dataset: Dataset;
  /** Reloads the dataset (after class changes, uploads). */
  refresh: () => Promise<unknown>;
}

const DatasetContext = createContext<DatasetContextValue | null>(null);

export function useDataset(): DatasetContextValue {
  const value = useContext(DatasetContext);
  if (!value) throw new Error("useDataset outside <DatasetScope>");
  return value;
}

/** Loads one dataset for its overview and image pages, with the tabs between them. */
export function DatasetScope({ id, children }: { id: string; children: ReactNode }) {
  const { data, error, loading, refetch } = useQuery(DATASET, { id });
  const pathname = usePathname();

  if (error && !data) {
    return (
      <main className="page">
        <LoadError error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (loading && !data) return <Spinner label="Loading dataset…" />;
  const dataset = data?.dataset;
  if (!dataset) {
    return (
      <main className="page">
        <EmptyState title="Dataset not found">
          <p>It may have been deleted.</p>
          <Link className="button" href="/datasets">
            Back to datasets
          </Link>
        </EmptyState>
      </main>
    );
  }

  const base = `/datasets/${dataset.id}`;
  const tabs = [
    { href: base, label: "Overview", active: pathname === base },
    { href: `${base}/images`, label: "Images", active: pathname.startsWith(`${base}/images`) },
    {
      href: `${base}/versions`,
      label: "Versions",
      active: pathname.startsWith(`${base}/versions`),
    },
    { href: `${base}/fills`, label: "Fills", active: pathname.startsWith(`${base}/fills`) },
    { href: `${base}/review`, label: "Review", active: pathname.startsWith(`${base}/review`) },
    {
      href: `${base}/predictions`,
      label: "Predictions",
      active: pathname.startsWith(`${base}/predictions`),
    },
  ];

  return (
    <DatasetContext.Provider value={{ dataset, refresh: refetch }}>
      <div className="dataset-bar">
        <div className="dataset-bar__title">
          <Link href="/datasets" className="muted">
            Datasets
          </Link>
          <span className="muted" aria-hidden="true">
            /
          </span>
          <h1 data-testid="dataset-title">{dataset.name}</h1>
        </div>
        <nav className="tabs" aria-label="Dataset">
          {tabs.map((tab) => (
            <Link
              key={tab.href}
              href={tab.href}
              className={tab.active ? "tab tab--active" : "tab"}
              aria-current={tab.active ? "page" : undefined}
            >
              {tab.label}
            </Link>
          ))}
        </nav>
      </div>
      {children}
    </DatasetContext.Provider>
  );
}
