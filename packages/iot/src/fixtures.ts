// Shared by the tests and the benchmark: broker discovery, publishers and session clean-up.
import net from "node:net";
import { randomUUID } from "node:crypto";
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";

/** The broker tests use: MQTT_TEST_URL, else a local Mosquitto. */
export const TEST_MQTT_URL = process.env.MQTT_TEST_URL ?? "mqtt://127.0.0.1:1883";

/** Resolves to undefined when the broker answers, else the reason to skip. */
export async function brokerUnavailable(
  url = TEST_MQTT_URL,
  timeoutMs = 1000,
): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 1883) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  return reachable
    ? undefined
    : `no MQTT broker reachable at ${url} (start Mosquitto or set MQTT_TEST_URL)`;
}

/** A topic prefix private to one test run, so runs sharing a broker do not see each other. */
export function privateTopicPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}/`;
}

export async function connectPublisher(
  url: string,
  protocolVersion: 4 | 5 = 5,
): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: `gridfill-publisher-${randomUUID().slice(0, 8)}`,
    protocolVersion,
    reconnectPeriod: 0,
  });
}

/** Ends a persistent session for good, so the broker stops queueing for it. */
export async function discardSession(
  url: string,
  clientId: string,
  protocolVersion: 4 | 5 = 5,
): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    clean: true,
    protocolVersion,
    reconnectPeriod: 0,
    ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 0 } } : {}),
  });
  await client.endAsync();
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const SENSORS = ["demo-tower-1-sensor", "demo-tower-2-sensor", "demo-tower-3-sensor"];
const METRICS = ["temperature", "humidity", "leakage_current"];
const UNITS: Record<string, string> = { temperature: "°C", humidity: "%", leakage_current: "mA" };

/** Message i carries 10 readings with distinct times; reading j of message i has value i*10+j. */
export function message(i: number, t0: number): { device: string; payload: string } {
  const readings = Array.from({ length: 10 }, (_, j) => {
    const metric = METRICS[j % 3]!;
    return { metric, unit: UNITS[metric], value: i * 10 + j, time: t0 + i * 10 + j };
  });
  return { device: SENSORS[i % 3]!, payload: JSON.stringify({ readings }) };
}
