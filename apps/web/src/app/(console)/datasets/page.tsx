import type { Metadata } from "next";
import { DatasetList } from "@/datasets/DatasetList";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return <DatasetList />;
}
