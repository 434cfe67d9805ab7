import type { Metadata } from "next";
import { CompareRunsView } from "@/predictions/CompareRunsView";

export const metadata: Metadata = { title: "Compare runs" };

export default async function CompareRunsPage({
  params,
}: {
  params: Promise<{ baseRunId: string; otherRunId: string }>;
}) {
  const { baseRunId, otherRunId } = await params;
  return (
    <CompareRunsView
      baseRunId={decodeURIComponent(baseRunId)}
      otherRunId={decodeURIComponent(otherRunId)}
    />
  );
}
