import type { Metadata } from "next";
import { LabelErrorQueueView } from "@/predictions/LabelErrorQueueView";

export const metadata: Metadata = { title: "Label-error queue" };

export default async function LabelErrorQueuePage({
  params,
}: {
  params: Promise<{ runId: string }>;
}) {
  const { runId } = await params;
  return <LabelErrorQueueView runId={decodeURIComponent(runId)} />;
}
