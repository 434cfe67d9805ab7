import { Suspense } from "react";
import type { Metadata } from "next";
import { ReviewQueue } from "@/fills/ReviewQueue";
import { Spinner } from "@/ui/states";

export const metadata: Metadata = { title: "Review synthetic images" };

export default function DatasetReviewPage() {
  return (
    <Suspense fallback={<Spinner label="Loading the review queue…" />}>
      <ReviewQueue />
    </Suspense>
  );
}
