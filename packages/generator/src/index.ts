// @gridfill/generator: MVSA-GAN inference on onnxruntime-node — model loading and contract checks,
// seeded sample plans (the lineage), reference preprocessing, generation, critic scores.
// Contract checks, model descriptions and sample plans: the runtime-free part.
export * from "./contract.ts";
export {
  SessionPool,
  loadModelVersion,
  type ExecutionProvider,
  type SessionPoolOptions,
  type LoadModelVersionOptions,
} from "./model.ts";
export { preprocessReference, cropRect, type CropOptions, type CropRect } from "./preprocess.ts";
export { toPng, toRgbBytes } from "./postprocess.ts";
export {
  generateBatch,
  generatorFeeds,
  score,
  softmax,
  featureDistance,
  nearestReferenceDistance,
  referenceSpread,
  type GenerateItem,
  type GenerateResult,
  type GenerateOptions,
  type Scores,
  type FeatureMetric,
} from "./generate.ts";

import type { SessionPool as Pool, ModelDescription as Description } from "./model.ts";
/** Model metadata for the registry (ModelVersion columns) plus the provider in use. */
export function info(pool: Pool): Description & { executionProvider: string } {
  return { ...pool.describe(), executionProvider: pool.executionProvider };
}
export * as composite from "./composite/index.ts";
