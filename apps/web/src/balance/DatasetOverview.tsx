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

  return (
    <main className="page page--wide overview">
      <div className="overview__head">
        <div>
          {dataset.description && (
            <p className="muted overview__description">{dataset.description}</p>
          )}
          <p className="muted overview__summary">
            {formatCount(dataset.imageCount)} images · {dataset.classes.length} defect classes ·{" "}
            {dataset.countPendingSynthetic
              ? "pending synthetic images count"
              : "only accepted synthetic images count"}
          </p>
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
