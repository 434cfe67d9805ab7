"use client";

import { useCallback, useState } from "react";
import { useDataset } from "../datasets/DatasetContext";
import { BalancePanel } from "./BalancePanel";
import { FillPlanPanel } from "./FillPlanPanel";
import type { ClassFill } from "./balance.graphql";
import { FillDialog } from "../fills/FillDialog";
import { SensorBandPanel } from "../iot/SensorBandPanel";
import { ClassManager } from "../classes/ClassManager";
import { ImportDialog } from "../imports/ImportDialog";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { formatCount } from "../ui/format";
import { errorMessage, gql } from "../graphql/client";
import { UPDATE_DATASET_POLICY } from "../datasets/datasets.graphql";
import { ErrorBanner } from "../ui/Dialog";
import { policySummary, UNREVIEWED_PREDICTED_HINT } from "./policies";

export function DatasetOverview() {
  const { dataset, refresh } = useDataset();
  const user = useSessionUser();
  const [importing, setImporting] = useState(false);
  const [filling, setFilling] = useState<ClassFill | null>(null);
  // Bumped after an import so the balance and fill plan load again (new images, new classes).
  const [generation, setGeneration] = useState(0);
  const onImported = useCallback(() => {
    void refresh();
    setGeneration((value) => value + 1);
  }, [refresh]);
  const [saving, setSaving] = useState(false);
  const [policyError, setPolicyError] = useState<string | null>(null);

  // The counters keep both parts, so the balance and the plan simply load again.
  async function setCountUnreviewedPredicted(value: boolean) {
    setSaving(true);
    setPolicyError(null);
    try {
      await gql(UPDATE_DATASET_POLICY, {
        id: dataset.id,
        input: { countUnreviewedPredicted: value },
      });
      await refresh();
      setGeneration((current) => current + 1);
    } catch (caught) {
      setPolicyError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  }

  return (
    <main className="page page--wide overview">
      <div className="overview__head">
        <div>
          {dataset.description && (
            <p className="muted overview__description">{dataset.description}</p>
          )}
          <p className="muted overview__summary">
            {formatCount(dataset.imageCount)} images · {dataset.classes.length} defect classes ·{" "}
            {policySummary(dataset)}
          </p>
          {hasRole(user, "CURATOR") && (
            <div className="overview__policy">
              <label>
                <input
                  type="checkbox"
                  checked={dataset.countUnreviewedPredicted}
                  disabled={saving}
                  onChange={(event) => void setCountUnreviewedPredicted(event.target.checked)}
                  data-testid="count-unreviewed-predicted"
                />{" "}
                Count unreviewed pre-labels in the balance
              </label>
              <span className="muted"> {UNREVIEWED_PREDICTED_HINT}</span>
              {policyError && (
                <ErrorBanner message={policyError} onDismiss={() => setPolicyError(null)} />
              )}
            </div>
          )}
        </div>
        {hasRole(user, "CURATOR") && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => setImporting(true)}
            data-testid="open-import"
          >
            Import…
          </button>
        )}
      </div>
      <BalancePanel
        key={`balance-${generation}`}
        datasetId={dataset.id}
        classCount={dataset.classes.length}
      />
      <SensorBandPanel key={`bands-${generation}`} datasetId={dataset.id} />
      <FillPlanPanel
        key={`plan-${generation}`}
        datasetId={dataset.id}
        onFill={hasRole(user, "CURATOR") ? setFilling : undefined}
      />
      <ClassManager />
      <FillDialog datasetId={dataset.id} entry={filling} onClose={() => setFilling(null)} />
      <ImportDialog
        datasetId={dataset.id}
        open={importing}
        onClose={() => setImporting(false)}
        onImported={onImported}
      />
    </main>
  );
}
