export { SPLIT_NAMES } from "./model.ts";
export type {
  DatasetRecord,
  DatasetSource,
  ExportRecord,
  FormatError,
  FormatErrorCode,
  LabeledBox,
  ReadOptions,
  SourceImage,
  Split,
} from "./model.ts";

export { openFolder, openTree } from "./file-tree.ts";
export type { FileTree } from "./file-tree.ts";
export { openZip, ZipBombError } from "./zip-tree.ts";
export type { ZipLimits } from "./zip-tree.ts";

export { readVoc, parseVocXml } from "./voc-reader.ts";
export type { VocReadOptions } from "./voc-reader.ts";
export { readCoco } from "./coco-reader.ts";
export type { CocoReadOptions } from "./coco-reader.ts";
export { readYolo, parseYoloLabel } from "./yolo-reader.ts";
export type { YoloReadOptions } from "./yolo-reader.ts";

export { writeVoc, vocXml } from "./voc-writer.ts";
export { writeCoco } from "./coco-writer.ts";
export type { CocoWriteOptions } from "./coco-writer.ts";
export { writeYolo } from "./yolo-writer.ts";
export type { WriteOptions, WriteSummary } from "./archive.ts";
export { toExportRecords } from "./export-records.ts";
export { sniffImageSize } from "./image-size.ts";
export { eventLoopSlices, untilAborted } from "./slices.ts";
export { readPredictions } from "./prediction-reader.ts";
export type {
  PredictionFile,
  PredictionFileError,
  PredictionFormat,
  PredictionReadOptions,
  PredictionTable,
} from "./prediction-reader.ts";
