import type { Metadata } from "next";
import { DatasetOverview } from "@/balance/DatasetOverview";

export const metadata: Metadata = { title: "Dataset overview" };

export default function DatasetOverviewPage() {
  return <DatasetOverview />;
}
