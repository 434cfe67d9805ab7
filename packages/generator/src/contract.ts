// @gridfill/generator/contract: what the API and the domain need of the generator without the
// runtime: ONNX contract checks, model descriptions, the seeded sample plans and best-of
// selection. Importing it never loads onnxruntime (a test holds the API to that).
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
export { describeModel, sha256Hex, type ModelBytes, type ModelDescription } from "./describe.ts";
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
export {
  MAX_BEST_OF,
  CLASS_SCORE_FLOOR,
  selectionScore,
  selectBest,
  type Selection,
} from "./selection.ts";
