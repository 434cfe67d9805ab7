import type { Metadata } from "next";
import { DeviceList } from "@/iot/DeviceList";

export const metadata: Metadata = { title: "Grid assets" };

export default function DevicesPage() {
  return <DeviceList />;
}
