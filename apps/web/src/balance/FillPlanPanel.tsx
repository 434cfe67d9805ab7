"use client";

import { useState } from "react";
import { useQuery } from "../graphql/useQuery";
import {
  FILL_PLAN,
  type ClassFill,
  type FillStrategyInput,
  type FillStrategyKind,
} from "./balance.graphql";
import { LoadError, Spinner } from "../ui/states";
import { DataTable } from "../ui/DataTable";
import { ClassLabel, classTitle } from "../ui/ClassLabel";
import { Field } from "../ui/Field";
import { formatCount, formatFraction, formatRatio } from "../ui/format";

const STRATEGIES: { value: FillStrategyKind; label: string; hint: string }[] = [
  {
    value: "TO_MAX",
    label: "To the largest class",
    hint: "Every class up to the size of the largest.",
  },
  {
    value: "TO_MEDIAN",
    label: "To the median",
    hint: "Classes below the median class size up to it.",
  },
  { value: "TO_COUNT", label: "To a count", hint: "Every class up to N images." },
  {
    value: "TO_RATIO",
    label: "To a ratio",
    hint: "Every class up to max / R, so the imbalance ratio is at most R.",
  },
];

const LIMIT_LABEL = {
  MAX_PER_CLASS: "per-class maximum",
  SYNTHETIC_SHARE_CAP: "synthetic share cap",
} as const;
const LIMIT_HINT = {
  MAX_PER_CLASS: "A single request may generate only so many images per class.",
  SYNTHETIC_SHARE_CAP: "The dataset caps the share of synthetic images in any class.",
} as const;
const POLICY_LABEL = {
  ACCEPTED: "accepted only",
  ACCEPTED_AND_PENDING: "accepted and pending",
  NONE: "none",
} as const;

/** Reads the user's inputs into a strategy, or explains why they cannot be one yet. */
function strategyFrom(
  kind: FillStrategyKind,
  count: string,
  ratio: string,
): FillStrategyInput | string {
  if (kind === "TO_COUNT") {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1) return "Enter a whole number of images (1 or more).";
    return { kind, count: n };
  }
  if (kind === "TO_RATIO") {
    const r = Number(ratio);
    if (!Number.isFinite(r) || r < 1) return "Enter a ratio of 1 or more.";
    return { kind, maxRatio: r };
  }
  return { kind };
}

/**
 * What a fill would generate per class. With `onFill` (curators), each class that can be filled
 * gets a Fill action that opens the request dialog with the plan's count.
 */
export function FillPlanPanel({
  datasetId,
  onFill,
}: {
  datasetId: string;
  onFill?: (entry: ClassFill) => void;
}) {
  const [kind, setKind] = useState<FillStrategyKind>("TO_MAX");
  const [count, setCount] = useState("100");
  const [ratio, setRatio] = useState("2");
  const [shots, setShots] = useState("3");
  const strategy = strategyFrom(kind, count, ratio);
  const shotCount = Number(shots);
  const invalid =
    typeof strategy === "string"
      ? strategy
      : !Number.isInteger(shotCount) || shotCount < 1
        ? "Shots must be a whole number (1 or more)."
        : null;

  const { data, error, loading, refetch } = useQuery(
    FILL_PLAN,
    { datasetId, strategy: typeof strategy === "string" ? { kind } : strategy, shots: shotCount },
    { skip: invalid !== null },
  );
  const plan = data?.fillPlan;

  return (
    <section className="card section" aria-labelledby="fill-heading" data-testid="fill-plan">
      <header className="section__header">
        <div>
          <h2 id="fill-heading">Fill plan</h2>
          <p className="muted">
            How many synthetic images each class would need, and which classes cannot be filled yet.
          </p>
        </div>
      </header>
      <div className="form-row">
        <Field label="Strategy">
          <select
            value={kind}
            onChange={(event) => setKind(event.target.value as FillStrategyKind)}
            data-testid="fill-strategy"
          >
            {STRATEGIES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        {kind === "TO_COUNT" && (
          <Field label="Count N" narrow>
            <input
              type="number"
              min={1}
              step={1}
              value={count}
              onChange={(event) => setCount(event.target.value)}
              data-testid="fill-count"
            />
          </Field>
        )}
        {kind === "TO_RATIO" && (
          <Field label="Max ratio R" narrow>
            <input
              type="number"
              min={1}
              step={0.1}
              value={ratio}
              onChange={(event) => setRatio(event.target.value)}
              data-testid="fill-ratio"
            />
          </Field>
        )}
        <Field label="Shots (k)" narrow>
          <input
            type="number"
            min={1}
            max={10}
            step={1}
            value={shots}
            onChange={(event) => setShots(event.target.value)}
            data-testid="fill-shots"
          />
        </Field>
        <p className="muted form-row__hint">
          {STRATEGIES.find((option) => option.value === kind)?.hint}
        </p>
      </div>

      {invalid ? (
        <p className="hint hint--warn">{invalid}</p>
      ) : error ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !plan ? (
        <Spinner label="Planning…" />
      ) : (
        <>
          <DataTable
            className={loading ? "table--stale" : undefined}
            testId="fill-plan-table"
            rows={plan.classes}
            rowKey={(entry) => entry.defectClass.id}
            rowProps={(entry) => ({
              "data-testid": "fill-plan-row",
              "data-class": entry.defectClass.name,
              "data-class-id": entry.defectClass.id,
              "data-real-train": entry.realTrainImages,
              "data-current": entry.current,
              "data-to-generate": entry.toGenerate,
              "data-limited-by": entry.limitedBy ?? "",
              "data-blocked": entry.blockedReason ? "true" : "false",
            })}
            columns={[
              {
                header: "Class",
                rowHeader: true,
                cell: (entry) => <ClassLabel defectClass={entry.defectClass} />,
              },
              {
                header: "Real train",
                title: "Real train images",
                numeric: true,
                cell: (entry) => formatCount(entry.realTrainImages),
              },
              {
                header: "Synthetic",
                title: "Synthetic images the dataset's policy counts",
                numeric: true,
                cell: (entry) => formatCount(entry.syntheticImages),
              },
              { header: "Current", numeric: true, cell: (entry) => formatCount(entry.current) },
              { header: "Target", numeric: true, cell: (entry) => formatCount(entry.target) },
              {
                header: "To generate",
                numeric: true,
                cell: (entry) => (
                  <strong>
                    {entry.toGenerate > 0 ? `+${formatCount(entry.toGenerate)}` : "0"}
                  </strong>
                ),
              },
              { header: "After", numeric: true, cell: (entry) => formatCount(entry.after) },
              { header: "Status", cell: (entry) => <PlanStatus entry={entry} /> },
              onFill && {
                header: "Fill",
                hideHeader: true,
                cellProps: () => ({ className: "actions-col" }),
                cell: (entry) => <FillButton entry={entry} onFill={onFill} />,
              },
            ]}
            footer={
              <tr>
                <th scope="row">Total</th>
                <td colSpan={4} />
                <td className="num" data-testid="fill-total">
                  <strong>+{formatCount(plan.totalToGenerate)}</strong>
                </td>
                <td colSpan={onFill ? 3 : 2} />
              </tr>
            }
          />
          <dl className="plan-summary" data-testid="fill-summary">
            <div>
              <dt>Target level</dt>
              <dd>{formatCount(plan.level)} images per class</dd>
            </div>
            <div>
              <dt>Imbalance ratio</dt>
              <dd>
                {formatRatio(plan.currentImbalanceRatio)} →{" "}
                <strong>{formatRatio(plan.projectedImbalanceRatio)}</strong>
              </dd>
            </div>
            <div>
              <dt>Normalised entropy</dt>
              <dd>
                {formatFraction(plan.currentNormalizedEntropy)} →{" "}
                <strong>{formatFraction(plan.projectedNormalizedEntropy)}</strong>
              </dd>
            </div>
            <div>
              <dt>Synthetic share cap</dt>
              <dd>{Math.round(plan.syntheticShareCap * 100)}% per class</dd>
            </div>
            <div>
              <dt>Counted synthetic</dt>
              <dd>{POLICY_LABEL[plan.syntheticPolicy]}</dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}

function PlanStatus({ entry }: { entry: ClassFill }) {
  if (entry.blockedReason)
    return (
      <span
        className="status status--blocked"
        id={`fill-blocked-${entry.defectClass.id}`}
        data-testid="fill-blocked-reason"
      >
        Blocked: {entry.blockedReason}
      </span>
    );
  if (entry.limitedBy)
    return (
      <span className="status status--limited" title={LIMIT_HINT[entry.limitedBy]}>
        Capped: {LIMIT_LABEL[entry.limitedBy]}
      </span>
    );
  if (entry.toGenerate > 0) return <span className="status status--ready">Ready</span>;
  return <span className="status">At target</span>;
}

function FillButton({ entry, onFill }: { entry: ClassFill; onFill: (entry: ClassFill) => void }) {
  return entry.blockedReason ? (
    <button
      type="button"
      className="button button--small"
      disabled
      title={entry.blockedReason}
      aria-describedby={`fill-blocked-${entry.defectClass.id}`}
      data-testid="fill-class-blocked"
    >
      Fill…
    </button>
  ) : (
    <button
      type="button"
      className="button button--small"
      onClick={() => onFill(entry)}
      aria-label={`Fill ${classTitle(entry.defectClass)}`}
      data-testid="fill-class"
    >
      Fill…
    </button>
  );
}
