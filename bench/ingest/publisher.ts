// One benchmark publisher (a child process of run.ts): publishes its share of messages at QoS 1
// on its own MQTT connection, keeping at most `window` messages sent but not yet committed (the
// parent reports commits), so the broker never has to queue, let alone drop, for the ingester.
import mqtt from "mqtt";
import { telemetryTopic } from "@gridfill/iot";
import { messagePayload, messageReadings } from "./rows.ts";
import type { Plan } from "./rows.ts";

interface Start {
  url: string;
  plan: Plan;
  index: number;
  window: number;
  /** Messages per second for this publisher; unset: as fast as the window allows. */
  rate?: number;
  /** Message numbers start here (a second phase must not repeat the first one's keys). */
  firstMessage?: number;
}

const send = (message: object) => {
  if (process.connected) process.send!(message);
};
// Never outlive the benchmark.
process.on("disconnect", () => process.exit(0));

process.once("message", async (start: Start) => {
  const { plan, index, window } = start;
  const first = start.firstMessage ?? 0;
  const client = await mqtt.connectAsync(start.url, {
    clientId: `gridfill-bench-publisher-${index}-${process.pid}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  let committed = 0;
  let wake: (() => void) | undefined;
  process.on("message", (m: { committed?: number; go?: boolean }) => {
    if (m.committed !== undefined) committed = m.committed;
    wake?.();
  });
  send({ ready: true });
  await new Promise<void>((r) => (wake = r));

  let acked = 0;
  let sent = 0;
  const total = plan.messagesPerPublisher;
  const began = Date.now();
  while (sent < total) {
    if (sent - committed >= window) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    let burst = Math.min(total - sent, window - (sent - committed), 50);
    if (start.rate) {
      // Paced: only what the schedule allows by now, checked every millisecond or so.
      const due = Math.min(total, Math.floor(((Date.now() - began) / 1000) * start.rate)) - sent;
      if (due <= 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      burst = Math.min(burst, due);
    }
    // Publish a burst, then yield so acks and commit reports get through.
    for (let i = 0; i < burst; i++) {
      const m = first + sent++;
      const device = messageReadings(plan, index, m).device;
      client.publish(
        telemetryTopic(device),
        messagePayload(plan, index, m, Date.now()),
        { qos: 1 },
        (error) => {
          if (error) send({ error: error.message });
          else acked++;
        },
      );
    }
    await new Promise((r) => setImmediate(r));
  }
  while (acked < total) await new Promise((r) => setTimeout(r, 10));
  send({ published: total });
  await client.endAsync();
  process.disconnect();
});
