import { Suspense } from "react";
import type { Metadata } from "next";
import { FillRequestsView } from "@/fills/FillRequestsView";
import { Spinner } from "@/ui/states";

export const metadata: Metadata = { title: "Fill requests" };

export default function DatasetFillsPage() {
  return (
    <Suspense fallback={<Spinner label="Loading fill requests…" />}>
      <FillRequestsView />
    </Suspense>
  );
}
