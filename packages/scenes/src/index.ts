/** Procedural power-line inspection scenes rendered to Pascal VOC datasets. */
export {
  DEFECT_CLASSES,
  DEFECT_CLASS_NAMES,
  DEFAULT_CLASS_ORDER,
  INSULATOR_CLASS,
  isDefectClassName,
} from "./classes.ts";
export type { AssetType, ClassInfo, DefectClassName, ObjectClassName } from "./classes.ts";
export { classWeights, sampleDefects, DEFAULT_TAIL_EXPONENT } from "./distribution.ts";
export type { DistributionOptions, DistributionSpec } from "./distribution.ts";
export { composeScene, renderScene, svgToPng, DEFAULT_WIDTH, DEFAULT_HEIGHT } from "./scene.ts";
export type {
  ComposedScene,
  RenderedScene,
  SceneMeta,
  SceneObject,
  SceneOptions,
} from "./scene.ts";
export type { BBox } from "./geometry.ts";
export { toVocXml } from "./voc.ts";
export type { VocAnnotation } from "./voc.ts";
export { writeVocDataset, splitIds, imageId } from "./dataset.ts";
export type { DatasetSummary, WriteVocDatasetOptions } from "./dataset.ts";
export { createRng, hashSeed, mulberry32 } from "./prng.ts";
export type { Rng } from "./prng.ts";
export { runSynthCommand, parseSynthArgs } from "./cli.ts";
export type { SynthArgs } from "./cli.ts";
