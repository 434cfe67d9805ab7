// @gridfill/generator: MVSA-GAN inference on onnxruntime-node — model loading and contract checks,
// seeded sample plans (the lineage), reference preprocessing, generation, critic scores.
export { GeneratorError, type GeneratorErrorCode } from "./errors.ts";
export {
  readOnnxInfo,
  checkContract,
  checkCriticContract,
  type OnnxModelInfo,
  type ValueInfo,
  type GeneratorMetadata,
  type CriticMetadata,
  type ContractNeeds,
} from "./metadata.ts";
export {
  SessionPool,
  loadModelVersion,
  describeModel,
  sha256Hex,
  type ExecutionProvider,
  type SessionPoolOptions,
  type LoadModelVersionOptions,
  type ModelBytes,
  type ModelDescription,
} from "./model.ts";
export {
  PLAN_ALGORITHM,
  planSample,
  replay,
  samePlan,
  validatePlan,
  sampleSeed,
  canonicalSeed,
  SplitMix64,
  Xoshiro128StarStar,
  type PlanRequest,
  type SamplePlan,
} from "./sampling.ts";
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
