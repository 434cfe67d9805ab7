import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
// Every stylesheet is imported here, once, so that their order (the cascade) is fixed: theme and
// base elements, the kit, then the features.
import "@/ui/ui.css";
import "@/auth/auth.css";
import "@/datasets/datasets.css";
import "@/balance/balance.css";
import "@/classes/classes.css";
import "@/images/images.css";
import "@/annotations/annotations.css";
import "@/imports/imports.css";
import "@/versions/versions.css";
import "@/exports/exports.css";
import "@/iot/iot.css";
import "@/fills/fills.css";
import "@/models/models.css";
import "@/predictions/predictions.css";

export const metadata: Metadata = {
  title: { default: "gridfill", template: "%s · gridfill" },
  description: "Power-grid defect datasets: curation, balance and synthetic fills",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so that Next.js puts each response's CSP nonce on its scripts.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
