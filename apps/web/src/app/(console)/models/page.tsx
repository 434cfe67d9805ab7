import type { Metadata } from "next";
import { ModelRegistry } from "@/models/ModelRegistry";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return <ModelRegistry />;
}
