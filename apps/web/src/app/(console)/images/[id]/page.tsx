import { Suspense } from "react";
import type { Metadata } from "next";
import { ImageDetailView } from "@/images/ImageDetailView";
import { Spinner } from "@/ui/states";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<Spinner label="Loading image…" />}>
      <ImageDetailView id={decodeURIComponent(id)} />
    </Suspense>
  );
}
