// The telemetry domain's resolvers, one file per part of its SDL (schema.graphql for the assets,
// readings, ingest, image-context and sensor-bands .graphql), merged type by type.
import { assetResolvers } from "./assets-resolvers.ts";
import { readingResolvers } from "./readings-resolvers.ts";
import { ingestResolvers } from "./ingest-resolvers.ts";
import { imageContextResolvers } from "./image-context-resolvers.ts";
import { sensorBandResolvers } from "./sensor-bands-resolvers.ts";

const parts: Record<string, Record<string, unknown>>[] = [
  assetResolvers,
  readingResolvers,
  ingestResolvers,
  imageContextResolvers,
  sensorBandResolvers,
];

export const iotResolvers: Record<string, Record<string, unknown>> = {};
for (const part of parts)
  for (const [type, fields] of Object.entries(part))
    iotResolvers[type] = { ...iotResolvers[type], ...fields };
