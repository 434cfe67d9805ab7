"use client";

import { useDataset } from "../datasets/DatasetContext";
import { BalancePanel } from "./BalancePanel";
import { FillPlanPanel } from "./FillPlanPanel";
import { ClassManager } from "../classes/ClassManager";
import { formatCount } from "../ui/format";

export function DatasetOverview() {
  const { dataset } = useDataset();
  return (
    <main className="page page--wide overview">
      {dataset.description && <p className="muted overview__description">{dataset.description}</p>}
      <p className="muted overview__summary">
        {formatCount(dataset.imageCount)} images · {dataset.classes.length} defect classes ·{" "}
        {dataset.countPendingSynthetic
          ? "pending synthetic images count"
          : "only accepted synthetic images count"}
      </p>
      <BalancePanel datasetId={dataset.id} classCount={dataset.classes.length} />
      <FillPlanPanel datasetId={dataset.id} />
      <ClassManager />
    </main>
  );
}
