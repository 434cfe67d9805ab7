// Demo telemetry: a 110 kV line with three towers, each with a sensor, a smart meter and a camera,
// and a simulator that publishes plausible, reproducible readings for them over MQTT.
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";
import type { PrismaClient } from "@gridfill/db";
import { telemetryTopic } from "./payload.ts";
import { newDeviceSecret } from "./credentials.ts";

export interface SimulatedMetric {
  name: string;
  unit: string;
  /** Mean value. */
  base: number;
  /** Half the swing of the daily cycle. */
  amplitude: number;
  /** Standard deviation of the noise. */
  noise: number;
  /** Length of one cycle; default one day. */
  periodMs?: number;
  min?: number;
  max?: number;
}

export interface SimulatedDevice {
  name: string;
  metrics: SimulatedMetric[];
  /** The device's MQTT secret; it then logs in as itself (user name and client id = its name). */
  secret?: string;
}

/** Plausible ranges of the demo metrics: values outside them are dead-lettered as OUT_OF_RANGE. */
export const DEMO_METRIC_RANGES: Record<string, { minValue: number; maxValue: number }> = {
  voltage: { minValue: 0, maxValue: 1000 },
  current: { minValue: 0, maxValue: 5000 },
  temperature: { minValue: -60, maxValue: 80 },
  leakage_current: { minValue: 0, maxValue: 100 },
  humidity: { minValue: 0, maxValue: 100 },
};

/** The demo metrics and their units, as registered by seedDemoAssets. */
export const DEMO_METRICS = {
  voltage: { name: "voltage", unit: "kV", base: 110, amplitude: 1.5, noise: 0.3 },
  current: { name: "current", unit: "A", base: 320, amplitude: 140, noise: 12, min: 0 },
  temperature: { name: "temperature", unit: "°C", base: 16, amplitude: 7, noise: 0.4 },
  leakageCurrent: {
    name: "leakage_current",
    unit: "mA",
    base: 0.9,
    amplitude: 0.5,
    noise: 0.08,
    min: 0,
  },
  humidity: { name: "humidity", unit: "%", base: 68, amplitude: 18, noise: 2, min: 0, max: 100 },
} satisfies Record<string, SimulatedMetric>;

const DEMO_LINE = { name: "Demo line 110 kV", voltageKv: 110 };
const DEMO_TOWERS = [
  { name: "Demo tower 1", latitude: 30.5928, longitude: 114.3055 },
  { name: "Demo tower 2", latitude: 30.5961, longitude: 114.3121 },
  { name: "Demo tower 3", latitude: 30.5994, longitude: 114.3187 },
];

/** The devices the simulator publishes for: per tower a weather/leakage sensor and a meter. */
export function demoSimulatorDevices(): SimulatedDevice[] {
  const m = DEMO_METRICS;
  return DEMO_TOWERS.flatMap((_, i) => [
    { name: `demo-tower-${i + 1}-sensor`, metrics: [m.temperature, m.humidity, m.leakageCurrent] },
    { name: `demo-tower-${i + 1}-meter`, metrics: [m.voltage, m.current] },
  ]);
}

/**
 * The simulated demo devices with fresh MQTT secrets. Only hashes are stored, so the simulator,
 * which is the demo devices' only holder of secrets, gets new ones each time the platform starts.
 */
export async function credentialedDemoDevices(prisma: PrismaClient): Promise<SimulatedDevice[]> {
  const devices = demoSimulatorDevices();
  const issued = devices.map((device) => ({ device, ...newDeviceSecret() }));
  await prisma.$transaction(
    issued.map(({ device, hash }) =>
      prisma.device.update({ where: { name: device.name }, data: { credentialHash: hash } }),
    ),
  );
  return issued.map(({ device, secret }) => ({ ...device, secret }));
}

export interface DemoAssets {
  lineId: string;
  towerIds: string[];
  deviceIds: Record<string, string>;
  metricIds: Record<string, number>;
}

/**
 * Creates (or finds) the demo line, towers, devices and metrics. Safe to run again. With
 * `plausibleRanges` the metrics get DEMO_METRIC_RANGES (the platform's demo); tests that count
 * with reading values leave them unbounded.
 */
export async function seedDemoAssets(
  prisma: PrismaClient,
  options: { plausibleRanges?: boolean } = {},
): Promise<DemoAssets> {
  const line = await prisma.powerLine.upsert({
    where: { name: DEMO_LINE.name },
    create: DEMO_LINE,
    update: {},
  });
  const towerIds: string[] = [];
  const deviceIds: Record<string, string> = {};
  for (const [i, t] of DEMO_TOWERS.entries()) {
    const tower = await prisma.tower.upsert({
      where: { name: t.name },
      create: { ...t, lineId: line.id },
      update: {},
    });
    towerIds.push(tower.id);
    const kinds = [
      [`demo-tower-${i + 1}-sensor`, "SENSOR"],
      [`demo-tower-${i + 1}-meter`, "SMART_METER"],
      [`demo-tower-${i + 1}-camera`, "CAMERA"],
    ] as const;
    for (const [name, kind] of kinds) {
      const device = await prisma.device.upsert({
        where: { name },
        create: { name, kind, towerId: tower.id, lineId: line.id },
        update: {},
      });
      deviceIds[name] = device.id;
    }
  }
  const metricIds: Record<string, number> = {};
  for (const m of Object.values(DEMO_METRICS)) {
    const metric = await prisma.metric.upsert({
      where: { name: m.name },
      create: { name: m.name, unit: m.unit },
      update: {},
    });
    metricIds[m.name] = metric.id;
    if (options.plausibleRanges && metric.minValue === null && metric.maxValue === null)
      await prisma.metric.update({ where: { id: metric.id }, data: DEMO_METRIC_RANGES[m.name]! });
  }
  return { lineId: line.id, towerIds, deviceIds, metricIds };
}

/** mulberry32: small, fast and good enough for demo noise. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The value of `metric` at `time` for a device whose cycle is shifted by `phase` (radians). */
export function simulatedValue(
  metric: SimulatedMetric,
  time: number,
  phase: number,
  random: () => number,
): number {
  const period = metric.periodMs ?? 86_400_000;
  let v =
    metric.base +
    metric.amplitude * Math.sin((2 * Math.PI * time) / period + phase) +
    metric.noise * gaussian(random);
  if (metric.min !== undefined) v = Math.max(metric.min, v);
  if (metric.max !== undefined) v = Math.min(metric.max, v);
  return Math.round(v * 1000) / 1000;
}

export interface SimulatorOptions {
  mqttUrl: string;
  devices: SimulatedDevice[];
  /** Time between two messages of one device; default 1 s. */
  intervalMs?: number;
  /** Same seed, same values (given the same tick times). */
  seed?: number;
  clientId?: string;
  protocolVersion?: 4 | 5;
  /** See IngesterOptions.topicPrefix. */
  topicPrefix?: string;
}

export interface Simulator {
  /** Messages published and acknowledged by the broker. */
  readonly published: number;
  stop(): Promise<void>;
}

/** Publishes one message per device per interval (QoS 1), with all of the device's metrics. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const random = seededRandom(options.seed ?? 1);
  const phases = options.devices.map(() => random() * 2 * Math.PI);
  const connect = (device?: SimulatedDevice) =>
    mqtt.connectAsync(options.mqttUrl, {
      clientId: device?.secret
        ? device.name
        : (options.clientId ??
          `gridfill-simulator-${process.pid}-${Math.floor(Math.random() * 1e9)}`),
      ...(device?.secret ? { username: device.name, password: device.secret } : {}),
      protocolVersion: options.protocolVersion ?? 4,
      reconnectPeriod: 1000,
    });
  // Devices with a secret log in as themselves (the broker lets each publish only to its own
  // topic); the others share one anonymous connection, for brokers that allow it.
  const shared = options.devices.some((d) => !d.secret) ? await connect() : undefined;
  const clients: MqttClient[] = [];
  try {
    for (const device of options.devices)
      clients.push(device.secret ? await connect(device) : shared!);
  } catch (error) {
    await Promise.all([...new Set(clients), shared].map((c) => c?.endAsync(true)));
    throw error;
  }
  let published = 0;
  const tick = () => {
    const time = Date.now();
    for (const [i, device] of options.devices.entries()) {
      const readings = device.metrics.map((m) => ({
        metric: m.name,
        value: simulatedValue(m, time, phases[i]!, random),
        unit: m.unit,
      }));
      clients[i]!.publish(
        telemetryTopic(device.name, options.topicPrefix),
        JSON.stringify({ time: new Date(time).toISOString(), readings }),
        { qos: 1 },
        (error) => {
          if (!error) published++;
        },
      );
    }
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  return {
    get published() {
      return published;
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all(
        [...new Set([...clients, ...(shared ? [shared] : [])])].map((c) => c.endAsync(false)),
      );
    },
  };
}
