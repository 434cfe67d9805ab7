import type { Metadata } from "next";
import { EvaluationView } from "@/predictions/EvaluationView";

export const metadata: Metadata = { title: "Evaluation" };

export default async function EvaluationPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <EvaluationView runId={decodeURIComponent(runId)} />;
}
