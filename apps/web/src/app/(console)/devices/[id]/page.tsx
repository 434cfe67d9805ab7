import type { Metadata } from "next";
import { DeviceView } from "@/iot/DeviceView";

export const metadata: Metadata = { title: "Device" };

export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DeviceView id={decodeURIComponent(id)} />;
}
