// Telemetry ingestion: MQTT (and CSV) readings, validated, batched and written to PostgreSQL.
export {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  REJECTION_CODES,
  TELEMETRY_TOPIC_FILTER,
  decodeTelemetry,
  deviceFromTopic,
  formatReason,
  parseTimestamp,
  resolveReadings,
  telemetryTopic,
} from "./payload.ts";
export type {
  DecodeOptions,
  Decoded,
  DecodedReading,
  Rejection,
  RejectionCode,
  RegisteredMetric,
  RegistryView,
  ResolvedReading,
} from "./payload.ts";
export { DeviceRegistry } from "./registry.ts";
export type { DeviceRegistryOptions } from "./registry.ts";
export { ReadingWriter, WriteRejectedError, encodeCopyBinary, isTransient } from "./writer.ts";
export type { CommitInfo, DeadLetterInput, FlushStats, ReadingWriterOptions } from "./writer.ts";
export { IngestMetrics } from "./metrics.ts";
export { DEFAULT_DEAD_LETTER_RATE, DeadLetterLimit } from "./dead-letter-limit.ts";
export type { DeadLetterRate } from "./dead-letter-limit.ts";
export type { IngestSnapshot } from "./metrics.ts";
export { startIngester } from "./ingester.ts";
export type { CommittedMessage, Ingester, IngesterLog, IngesterOptions } from "./ingester.ts";
export { startEmbeddedBroker } from "./broker.ts";
export type { EmbeddedBroker, EmbeddedBrokerOptions } from "./broker.ts";
export {
  INGESTER_IDENTITY,
  deviceCredentialCheck,
  hashSecret,
  newDeviceSecret,
  newIngesterPassword,
  secretMatches,
} from "./credentials.ts";
export type { IssuedSecret } from "./credentials.ts";
export {
  DEMO_METRICS,
  credentialedDemoDevices,
  demoSimulatorDevices,
  seedDemoAssets,
  seededRandom,
  simulatedValue,
  startSimulator,
} from "./simulator.ts";
export type {
  DemoAssets,
  SimulatedDevice,
  SimulatedMetric,
  Simulator,
  SimulatorOptions,
} from "./simulator.ts";
export { decodeCsvRow, importReadingsCsv } from "./csv.ts";
export type { CsvImportOptions, CsvImportResult } from "./csv.ts";
