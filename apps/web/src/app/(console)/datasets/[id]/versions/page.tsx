import type { Metadata } from "next";
import { VersionsView } from "@/versions/VersionsView";

export const metadata: Metadata = { title: "Versions" };

export default function DatasetVersionsPage() {
  return <VersionsView />;
}
