// The benchmark's readings, computed the same way by the publishers (as MQTT payloads) and by the
// raw COPY baseline (as rows), so both write exactly the same keys and values.
import { DEMO_METRICS } from "@gridfill/iot";

export const METRICS = Object.values(DEMO_METRICS).map((m) => ({ name: m.name, unit: m.unit }));

export interface Plan {
  publishers: number;
  devicesPerPublisher: number;
  readingsPerMessage: number;
  messagesPerPublisher: number;
  /** Epoch ms of the first reading. */
  t0: number;
}

export function deviceName(publisher: number, device: number): string {
  return `bench-${publisher}-${device}`;
}

/** The device, and per reading the metric index, time and value, of message `m` of publisher `p`. */
export function messageReadings(
  plan: Plan,
  p: number,
  m: number,
): { device: string; readings: Array<{ metric: number; time: number; value: number }> } {
  const d = m % plan.devicesPerPublisher;
  // Every device's messages follow each other in time; readings inside a message 1 ms apart.
  const seq = Math.floor(m / plan.devicesPerPublisher);
  const readings = new Array(plan.readingsPerMessage);
  for (let k = 0; k < plan.readingsPerMessage; k++) {
    readings[k] = {
      metric: k % METRICS.length,
      time: plan.t0 + seq * plan.readingsPerMessage + k,
      value: ((m * plan.readingsPerMessage + k) % 9973) / 10,
    };
  }
  return { device: deviceName(p, d), readings };
}

/** The MQTT payload, with the publish time first so the collector can read it cheaply. */
export function messagePayload(plan: Plan, p: number, m: number, sentAt: number): string {
  const { readings } = messageReadings(plan, p, m);
  let out = `{"sentAt":${sentAt},"readings":[`;
  for (let k = 0; k < readings.length; k++) {
    const r = readings[k]!;
    const metric = METRICS[r.metric]!;
    out += `${k ? "," : ""}{"metric":"${metric.name}","value":${r.value},"unit":"${metric.unit}","time":${r.time}}`;
  }
  return `${out}]}`;
}
