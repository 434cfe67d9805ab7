import type { Metadata } from "next";
import { DeviceList } from "../../../iot/DeviceList";

export const metadata: Metadata = { title: "Devices" };

export default function DevicesPage() {
  return <DeviceList />;
}
