"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "../graphql/useQuery";
import {
  BALANCE,
  type BalanceStatistics,
  type BalanceUnit,
  type ClassBalance,
} from "./balance.graphql";
import type { Split } from "../images/images.graphql";
import { BalanceChart } from "./BalanceChart";
import { EmptyState } from "../ui/states";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { ClassLabel } from "../ui/ClassLabel";
import { formatCount, formatFraction, formatRatio } from "../ui/format";
import { Segmented } from "../ui/Segmented";
import { countedLine } from "./policies";

type SplitChoice = "ALL" | Exclude<Split, "UNASSIGNED">;

const SPLIT_OPTIONS: { value: SplitChoice; label: string }[] = [
  { value: "ALL", label: "All" },
  { value: "TRAIN", label: "Train" },
  { value: "VAL", label: "Val" },
  { value: "TEST", label: "Test" },
];

const UNIT_OPTIONS: { value: BalanceUnit; label: string }[] = [
  { value: "IMAGES", label: "Images" },
  { value: "BOXES", label: "Boxes" },
];

export function BalancePanel({ datasetId, classCount }: { datasetId: string; classCount: number }) {
  const [split, setSplit] = useState<SplitChoice>("ALL");
  const [unit, setUnit] = useState<BalanceUnit>("IMAGES");
  const { data, error, loading, refetch } = useQuery(BALANCE, {
    datasetId,
    unit,
    splits: split === "ALL" ? null : [split],
  });
  // Largest class first, so the imbalance reads from the top of the chart down.
  const balance = useMemo(
    () => data?.balance && { ...data.balance, classes: byCount(data.balance.classes) },
    [data],
  );

  return (
    <section className="card section" aria-labelledby="balance-heading" data-testid="balance-panel">
      <header className="section__header">
        <h2 id="balance-heading">Class balance</h2>
        <div className="toolbar">
          <Segmented
            label="Split"
            options={SPLIT_OPTIONS}
            value={split}
            onChange={setSplit}
            testId="balance-split"
          />
          <Segmented
            label="Unit"
            options={UNIT_OPTIONS}
            value={unit}
            onChange={setUnit}
            testId="balance-unit"
          />
          {loading && data && <span className="spinner spinner--small" aria-label="Updating" />}
        </div>
      </header>

      <QueryView
        error={error}
        data={balance || undefined}
        keepDataOnError
        onRetry={refetch}
        loading="Computing balance…"
        isEmpty={() => classCount === 0}
        empty={
          <EmptyState title="No defect classes">
            <p>Add classes below; the balance chart shows how many samples each one has.</p>
          </EmptyState>
        }
      >
        {(balance) => (
          <>
            <Headline balance={balance} />
            {balance.total === 0 && (
              <p className="hint" data-testid="balance-empty-hint">
                No {unit === "IMAGES" ? "annotated images" : "boxes"} yet
                {split !== "ALL" ? ` in ${split.toLowerCase()}` : ""}.{" "}
                <Link href={`/datasets/${datasetId}/images`}>Upload and annotate images</Link> to
                fill the chart.
              </p>
            )}
            <BalanceChart classes={balance.classes} />
            <p className="muted balance-policy">{countedLine(balance)}</p>
            <BalanceTable balance={balance} />
          </>
        )}
      </QueryView>
    </section>
  );
}

function byCount(classes: ClassBalance[]): ClassBalance[] {
  const total = (entry: ClassBalance) =>
    entry.real + entry.syntheticAccepted + entry.syntheticPending;
  return [...classes].sort(
    (a, b) =>
      b.counted - a.counted ||
      total(b) - total(a) ||
      a.defectClass.name.localeCompare(b.defectClass.name),
  );
}

/** Largest and smallest non-empty class: the two the imbalance ratio compares. */
function ratioExtremes(balance: BalanceStatistics): { max: string; min: string } | null {
  const counted = balance.classes
    .filter((entry) => entry.counted > 0)
    .sort((a, b) => b.counted - a.counted);
  const largest = counted[0];
  const smallest = counted[counted.length - 1];
  if (!largest || !smallest || counted.length < 2) return null;
  const label = (entry: (typeof counted)[number]) =>
    entry.defectClass.title || entry.defectClass.name;
  return { max: label(largest), min: label(smallest) };
}

function Headline({ balance }: { balance: BalanceStatistics }) {
  const unitLabel = balance.unit === "IMAGES" ? "images" : "boxes";
  const extremes = ratioExtremes(balance);
  const empty = balance.emptyClasses;
  return (
    <dl className="headline" aria-label="Balance summary">
      <div className="headline__item">
        <dt>Total {unitLabel}</dt>
        <dd data-testid="balance-total">{formatCount(balance.total)}</dd>
      </div>
      <div className="headline__item">
        <dt>Imbalance ratio</dt>
        <dd data-testid="balance-imbalance-ratio">{formatRatio(balance.imbalanceRatio)}</dd>
        <small className="muted">
          {balance.imbalanceRatio != null && extremes
            ? `${extremes.max} / ${extremes.min}`
            : "needs two classes with samples"}
        </small>
      </div>
      <div className="headline__item">
        <dt>Normalised entropy</dt>
        <dd data-testid="balance-entropy">{formatFraction(balance.normalizedEntropy)}</dd>
        <small className="muted">1.00 is perfectly balanced</small>
      </div>
      <div className={empty.length > 0 ? "headline__item headline__item--warn" : "headline__item"}>
        <dt>Empty classes</dt>
        <dd data-testid="balance-empty-classes">{empty.length}</dd>
        <small className="muted" title={empty.map((entry) => entry.name).join(", ")}>
          {empty.length === 0
            ? "every class has samples"
            : empty
                .slice(0, 3)
                .map((entry) => entry.title || entry.name)
                .join(", ") + (empty.length > 3 ? ` +${empty.length - 3}` : "")}
        </small>
      </div>
    </dl>
  );
}

function BalanceTable({ balance }: { balance: BalanceStatistics }) {
  return (
    <DataTable
      className="balance-table"
      testId="balance-table"
      rows={balance.classes}
      rowKey={(entry) => entry.defectClass.id}
      rowProps={(entry) => ({
        "data-testid": "balance-row",
        "data-class": entry.defectClass.name,
        "data-counted": entry.counted,
        "data-real": entry.real,
        "data-synthetic-accepted": entry.syntheticAccepted,
        "data-synthetic-pending": entry.syntheticPending,
      })}
      columns={[
        {
          header: "Class",
          rowHeader: true,
          cell: (entry) => <ClassLabel defectClass={entry.defectClass} />,
        },
        {
          header: "Counted",
          numeric: true,
          cell: (entry) => formatCount(entry.counted),
          cellProps: () => ({ "data-testid": "balance-count" }),
        },
        { header: "Share", numeric: true, cell: (entry) => `${(entry.share * 100).toFixed(1)}%` },
        { header: "Real", numeric: true, cell: (entry) => formatCount(entry.real) },
        {
          header: "Synthetic accepted",
          numeric: true,
          cell: (entry) => formatCount(entry.syntheticAccepted),
        },
        {
          header: "Synthetic pending",
          numeric: true,
          cell: (entry) => formatCount(entry.syntheticPending),
        },
        { header: "Images", numeric: true, cell: (entry) => formatCount(entry.images) },
        { header: "Boxes", numeric: true, cell: (entry) => formatCount(entry.boxes) },
      ]}
    />
  );
}
