import type { Metadata } from "next";
import { PredictionRunsView } from "@/predictions/PredictionRunsView";

export const metadata: Metadata = { title: "Predictions" };

export default function DatasetPredictionsPage() {
  return <PredictionRunsView />;
}
