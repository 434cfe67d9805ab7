// What the registry knows of a model version without creating a session: its ONNX metadata,
// checked against the contract, and the sha256 of its files. No onnxruntime here, so the API can
// check uploads without loading the runtime.
import { createHash } from "node:crypto";
import {
  checkContract,
  checkCriticContract,
  readOnnxInfo,
  type ContractNeeds,
  type CriticMetadata,
  type GeneratorMetadata,
} from "./metadata.ts";

export interface ModelBytes {
  generator: Uint8Array;
  critic?: Uint8Array | null;
}

/** What the model registry records about a model version (ModelVersion columns). */
export interface ModelDescription {
  imageSize: number;
  shots: number;
  fusedPositions: number;
  gridSize: number;
  classNames: string[];
  seenClasses: string[];
  unseenClasses: string[];
  version: string;
  model: string;
  trainingStep: number | null;
  /** Training configuration as exported (YAML text). */
  config: string;
  generatorSha256: string;
  criticSha256: string | null;
  /** Classes the critic scores (class consistency is null for any other class). */
  criticClassNames: string[] | null;
  featureSize: number | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Reads and checks a model version's files without creating sessions: for the registry, when a
 * model is uploaded. Throws CORRUPT_MODEL or CONTRACT_MISMATCH.
 */
export function describeModel(bytes: ModelBytes, need: ContractNeeds = {}): ModelDescription {
  const meta = checkContract(readOnnxInfo(bytes.generator), need);
  const critic = bytes.critic ? checkCriticContract(readOnnxInfo(bytes.critic), meta) : null;
  return describeFromMetadata(
    meta,
    critic,
    sha256Hex(bytes.generator),
    bytes.critic ? sha256Hex(bytes.critic) : null,
  );
}

export function describeFromMetadata(
  meta: GeneratorMetadata,
  critic: CriticMetadata | null,
  g: string,
  c: string | null,
): ModelDescription {
  return {
    imageSize: meta.imageSize,
    shots: meta.shots,
    fusedPositions: meta.fusedPositions,
    gridSize: meta.gridSize,
    classNames: meta.classNames,
    seenClasses: meta.seenClasses,
    unseenClasses: meta.unseenClasses,
    version: meta.version,
    model: meta.model,
    trainingStep: meta.trainingStep,
    config: meta.trainingConfig,
    generatorSha256: g,
    criticSha256: c,
    criticClassNames: critic?.classNames ?? null,
    featureSize: critic?.featureSize ?? null,
  };
}
