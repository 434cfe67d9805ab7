import { Suspense } from "react";
import type { Metadata } from "next";
import { ImageBrowser } from "@/images/ImageBrowser";
import { Spinner } from "@/ui/states";

export const metadata: Metadata = { title: "Images" };

export default function DatasetImagesPage() {
  return (
    <Suspense fallback={<Spinner label="Loading images…" />}>
      <ImageBrowser />
    </Suspense>
  );
}
