// MQTT → PostgreSQL. Subscribes with QoS 1 on a persistent session and acknowledges a message
// only after its readings (or its dead letter) have committed, so a crash at any point loses
// nothing: the broker redelivers what was not acknowledged, and ON CONFLICT drops what had
// already been stored.
//
// Acknowledgement. mqtt.js processes incoming packets strictly one at a time and only moves to
// the next once the current one's PUBACK has been handed to the socket; delaying the PUBACK
// through `customHandleAcks` therefore allows exactly one message per database commit. Instead we
// let mqtt.js move on at once (our `handleMessage` reports a sentinel error, which makes it skip
// its own PUBACK) and send each PUBACK ourselves after the commit, in the order the messages
// arrived (MQTT 4.6), and only on the connection that received it: after a reconnect the broker
// redelivers, and a stale packet id must not acknowledge a different message.
import mqtt from "mqtt";
import type { IPublishPacket, MqttClient } from "mqtt";
import type pg from "pg";
import { ensureReadingPartitions } from "@gridfill/db";
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  TELEMETRY_TOPIC_FILTER,
  decodeTelemetry,
  deviceFromTopic,
  formatReason,
  resolveReadings,
} from "./payload.ts";
import type { Rejection, RejectionCode, ResolvedReading } from "./payload.ts";
import { DeviceRegistry } from "./registry.ts";
import { ReadingWriter, WriteRejectedError } from "./writer.ts";
import type { ReadingWriterOptions } from "./writer.ts";
import { IngestMetrics } from "./metrics.ts";
import { DeadLetterLimit } from "./dead-letter-limit.ts";
import type { DeadLetterRate } from "./dead-letter-limit.ts";

export interface IngesterLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface IngesterOptions {
  mqttUrl: string;
  pool: pg.Pool;
  /** Stable across restarts: it names the persistent session the broker keeps. */
  clientId: string;
  /** The ingester's broker login (the embedded broker's `ingester`, or MQTT_USERNAME / MQTT_PASSWORD). */
  username?: string;
  password?: string;
  /**
   * Put before every topic (`<prefix>gridfill/<device>/telemetry`), for brokers shared by several
   * installations; default none. Must end with `/` when set.
   */
  topicPrefix?: string;
  /** Subscription; default `<topicPrefix>gridfill/+/telemetry`. */
  topic?: string;
  log?: IngesterLog;
  /**
   * MQTT 5 (default) lets us advertise a large receive maximum, so many messages can wait for
   * one commit. Use 4 for brokers without MQTT 5 (aedes); Mosquitto then caps unacknowledged
   * messages per client at its `max_inflight_messages` (20 by default).
   */
  protocolVersion?: 4 | 5;
  /** Messages the broker may send before we acknowledge (MQTT 5); default 20,000. */
  receiveMaximum?: number;
  /** How long the broker keeps the session while we are away (MQTT 5); default 7 days. */
  sessionExpirySeconds?: number;
  writer?: Omit<ReadingWriterOptions, "onFlush" | "onRetry">;
  maxFutureSkewMs?: number;
  maxPayloadBytes?: number;
  /** Dead letters each publisher may write (a token bucket per device); default 20, then 1 per second. */
  deadLetterRate?: DeadLetterRate;
  /** Reloads of the device/metric cache after a miss are at least this far apart; default 1 s. */
  registryRefreshMs?: number;
  /**
   * Full reload of the device/metric cache this often, so a deleted device stops being accepted
   * ("Reading" has no foreign keys to catch it); default 30 s, 0 turns it off.
   */
  registryReloadMs?: number;
  /**
   * Make sure the current and next month's Reading partitions exist at start; default true. The
   * months after, and retention, are the cluster's upkeep schedule (packages/core/src/jobs/upkeep.ts).
   */
  maintainPartitions?: boolean;
  /** Called once a message's readings have committed (live feeds, benchmarks). Keep it cheap. */
  onCommit?: (message: CommittedMessage) => void;
}

export interface CommittedMessage {
  topic: string;
  payload: Buffer;
  device: string;
  readings: readonly ResolvedReading[];
  /** Epoch ms. */
  receivedAt: number;
  /** Epoch ms of the COMMIT. */
  committedAt: number;
}

export interface Ingester {
  metrics: IngestMetrics;
  /** Acknowledges everything committed, then disconnects; the session stays for the next start. */
  stop(): Promise<void>;
  /** Drops the connection at once without acknowledging anything (a crash, for tests). */
  abort(): Promise<void>;
}

/** Dead letters keep at most this much of a payload. */
const MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;
/** Makes mqtt.js skip its own PUBACK (see the note at the top). */
const ACK_DEFERRED = new Error("acknowledged after commit");

const quietLog: IngesterLog = { info() {}, warn() {}, error() {} };

interface PendingAck {
  messageId: number;
  connection: number;
  done: boolean;
  /** False when the message must be redelivered (nothing was committed). */
  ack: boolean;
}

function payloadText(payload: Buffer): string {
  const text = payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD).toString("utf8");
  return payload.length > MAX_DEAD_LETTER_PAYLOAD
    ? `${text}…[truncated, ${payload.length} bytes]`
    : text;
}

export async function startIngester(options: IngesterOptions): Promise<Ingester> {
  const log = options.log ?? quietLog;
  const topicPrefix = options.topicPrefix ?? "";
  const topic = options.topic ?? topicPrefix + TELEMETRY_TOPIC_FILTER;
  const protocolVersion = options.protocolVersion ?? 5;
  const maxSkew = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  const maxPayload = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const metrics = new IngestMetrics();
  const writer = new ReadingWriter(options.pool, {
    ...options.writer,
    onFlush: (stats) => metrics.recordFlush(stats),
    onRetry: (error, attempt) =>
      log.warn("flush failed, retrying", { attempt, error: (error as Error).message }),
  });
  // "Reading" has no foreign keys. Readings of a device deleted since the last reload may have
  // been stored meanwhile: once everything submitted before the reload has committed (later
  // messages no longer resolve the device), delete them.
  const removeOrphans = async (ids: string[]) => {
    await writer.settled();
    const { rowCount } = await options.pool.query(
      `DELETE FROM "Reading" WHERE "deviceId" = ANY($1::uuid[])`,
      [ids],
    );
    if (rowCount)
      log.info("deleted the readings of removed devices", {
        devices: ids.length,
        readings: rowCount,
      });
  };
  const registry = new DeviceRegistry(options.pool, {
    minRefreshIntervalMs: options.registryRefreshMs ?? 1000,
    onDevicesRemoved: (ids) =>
      void removeOrphans(ids).catch((error: unknown) =>
        log.warn("could not delete the readings of removed devices", {
          error: (error as Error).message,
        }),
      ),
  });

  await registry.load();
  const reloadMs = options.registryReloadMs ?? 30_000;
  const reloadTimer =
    reloadMs > 0
      ? setInterval(() => {
          registry
            .load()
            .catch((error: unknown) =>
              log.warn("could not reload the device registry", { error: (error as Error).message }),
            );
        }, reloadMs).unref()
      : undefined;
  if (options.maintainPartitions ?? true) {
    // The worker's upkeep schedule creates the months ahead, once per cluster. An ingester may run
    // where no worker does, so it makes sure of this month and the next itself (idempotent: one
    // catalog query when both exist). Current readings then go to their own month's partition, not
    // to the default one, whose rows must be moved out when their month's partition is created.
    const now = new Date();
    await ensureReadingPartitions(
      options.pool,
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      2,
    ).catch((error: unknown) =>
      log.warn("could not create Reading partitions", { error: (error as Error).message }),
    );
  }

  let connection = 0;
  let stopping = false;
  let aborted = false;
  const acks: PendingAck[] = [];
  let ackHead = 0;
  let inFlight = 0;

  const client: MqttClient = mqtt.connect(options.mqttUrl, {
    clientId: options.clientId,
    ...(options.username ? { username: options.username, password: options.password } : {}),
    clean: false,
    protocolVersion,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(protocolVersion === 5
      ? {
          properties: {
            sessionExpiryInterval: options.sessionExpirySeconds ?? 7 * 86400,
            receiveMaximum: options.receiveMaximum ?? 20_000,
          },
        }
      : {}),
  });
  const sendPacket = (
    client as unknown as { _sendPacket?: (packet: object, cb?: (err?: Error) => void) => void }
  )._sendPacket;
  if (typeof sendPacket !== "function")
    throw new Error(
      "this mqtt.js version has no _sendPacket; the ingester cannot acknowledge after commit",
    );

  const releaseAcks = () => {
    while (ackHead < acks.length && acks[ackHead]!.done) {
      const entry = acks[ackHead++]!;
      if (entry.ack && !aborted && entry.connection === connection && client.connected) {
        sendPacket.call(
          client,
          protocolVersion === 5
            ? { cmd: "puback", messageId: entry.messageId, reasonCode: 0 }
            : { cmd: "puback", messageId: entry.messageId },
        );
      }
    }
    // Compact now and then rather than shifting on every ack.
    if (ackHead > 4096 && ackHead * 2 > acks.length) {
      acks.splice(0, ackHead);
      ackHead = 0;
    }
    metrics.unacked = acks.length - ackHead;
  };

  const deadLetterLimit = new DeadLetterLimit(options.deadLetterRate);
  const deadLetter = async (topicName: string, payload: Buffer, rejection: Rejection) => {
    if (!deadLetterLimit.take(publisherOf(topicName, topicPrefix))) {
      metrics.recordDroppedRejection();
      return;
    }
    metrics.recordRejection(rejection.code);
    await writer.submit(
      [],
      [
        {
          source: "mqtt",
          topic: topicName,
          payload: payloadText(payload),
          reason: formatReason(rejection),
        },
      ],
    );
  };

  const ingest = async (topicName: string, payload: Buffer, receivedAt: number): Promise<void> => {
    const device = deviceFromTopic(topicName, topicPrefix);
    if (!device.ok) return void (await deadLetter(topicName, payload, device.rejection));
    const decoded = decodeTelemetry(payload, {
      receivedAt,
      maxFutureSkewMs: maxSkew,
      maxPayloadBytes: maxPayload,
    });
    if (!decoded.ok) return void (await deadLetter(topicName, payload, decoded.rejection));
    let resolved = resolveReadings(device.value, decoded.value, registry);
    if (!resolved.ok && isRegistryMiss(resolved.rejection.code)) {
      await registry.refreshAfterMiss();
      resolved = resolveReadings(device.value, decoded.value, registry);
    }
    if (!resolved.ok) return void (await deadLetter(topicName, payload, resolved.rejection));
    try {
      const { committedAt } = await writer.submit(resolved.value);
      metrics.recordStored(resolved.value.length, committedAt - receivedAt);
      try {
        options.onCommit?.({
          topic: topicName,
          payload,
          device: device.value,
          readings: resolved.value,
          receivedAt,
          committedAt,
        });
      } catch (error) {
        log.error("onCommit failed", { error: (error as Error).message }); // the message is stored either way
      }
    } catch (error) {
      if (!(error instanceof WriteRejectedError)) throw error;
      // The database refused it (e.g. a value it cannot store): keep it as a dead letter.
      await deadLetter(topicName, payload, { code: "WRITE_FAILED", message: error.message });
    }
  };

  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== "publish") return callback();
    const publish = packet as IPublishPacket;
    const receivedAt = Date.now();
    const payload = Buffer.isBuffer(publish.payload)
      ? publish.payload
      : Buffer.from(publish.payload);
    metrics.messages++;
    if (publish.qos === 0 || publish.messageId === undefined) {
      if (!stopping)
        void ingest(publish.topic, payload, receivedAt).catch((error: unknown) =>
          log.error("dropped a QoS 0 message", { error: (error as Error).message }),
        );
      return callback();
    }
    const entry: PendingAck = { messageId: publish.messageId, connection, done: false, ack: false };
    acks.push(entry);
    metrics.unacked = acks.length - ackHead;
    if (stopping) {
      // Left unacknowledged: the broker hands it to the next session.
      entry.done = true;
      releaseAcks();
    } else {
      inFlight++;
      ingest(publish.topic, payload, receivedAt)
        .then(
          () => {
            entry.ack = true;
          },
          (error: unknown) => {
            log.error("message not ingested; the broker will redeliver it", {
              error: (error as Error).message,
            });
          },
        )
        .finally(() => {
          inFlight--;
          entry.done = true;
          releaseAcks();
        });
    }
    callback(ACK_DEFERRED);
  };

  client.on("connect", (connack) => {
    connection++;
    metrics.connected = true;
    log.info("connected to MQTT broker", {
      url: options.mqttUrl,
      sessionPresent: connack.sessionPresent,
    });
  });
  client.on("close", () => {
    metrics.connected = false;
  });
  client.on("error", (error) => log.warn("MQTT error", { error: error.message }));

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      client.once("error", onError);
      client.once("connect", () => {
        client.off("error", onError);
        resolve();
      });
    });
    await client.subscribeAsync(topic, { qos: 1 });
  } catch (error) {
    clearInterval(reloadTimer);
    client.end(true);
    throw error;
  }
  log.info("ingesting telemetry", { topic, clientId: options.clientId });

  let stopped: Promise<void> | undefined;
  return {
    metrics,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearInterval(reloadTimer);
        // Messages already taken in are committed and acknowledged before we leave.
        while (inFlight > 0) {
          await writer.drain();
          await new Promise((r) => setTimeout(r, 5));
        }
        await writer.close();
        releaseAcks();
        await client.endAsync(false);
      })()),
    abort: () =>
      (stopped ??= (async () => {
        aborted = stopping = true;
        clearInterval(reloadTimer);
        client.end(true);
        await writer.close().catch(() => {});
      })()),
  };
}

/** Who published on a topic, for the dead-letter rate: the device it names, else the topic. */
function publisherOf(topicName: string, topicPrefix: string): string {
  const device = deviceFromTopic(topicName, topicPrefix);
  return device.ok ? device.value : topicName;
}

function isRegistryMiss(code: RejectionCode): boolean {
  return code === "UNKNOWN_DEVICE" || code === "UNKNOWN_METRIC";
}
