import type { ReactNode } from "react";
import { DatasetScope } from "@/datasets/DatasetContext";

export default async function DatasetLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  return <DatasetScope id={decodeURIComponent(id)}>{children}</DatasetScope>;
}
