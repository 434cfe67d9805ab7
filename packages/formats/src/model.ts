/** The common model every reader yields and every writer takes. */
import type { Readable } from "node:stream";
import type { Box } from "@gridfill/balance";

export type Split = "train" | "val" | "test";

export const SPLIT_NAMES: readonly Split[] = ["train", "val", "test"];

/** Stable problem codes; callers may switch on them. */
export type FormatErrorCode =
  | "MALFORMED_XML"
  | "MALFORMED_JSON"
  | "BOX_OUT_OF_BOUNDS"
  | "BOX_ZERO_AREA"
  | "MISSING_IMAGE"
  | "DUPLICATE_ID"
  | "UNKNOWN_CATEGORY"
  | "TOO_MANY_BOXES"
  | "NOT_UTF8"
  | "ZIP_SLIP"
  | "ZIP_BOMB"
  | "UNSUPPORTED";

/** One problem with one file (a path inside the dataset tree). */
export interface FormatError {
  file: string;
  code: FormatErrorCode;
  message: string;
}

export interface LabeledBox {
  className: string;
  /** Pixel box, top-left origin, continuous coordinates (see `@gridfill/balance`). */
  box: Box;
}

export interface SourceImage {
  /** Path of the image inside the dataset tree, `/`-separated. */
  relPath: string;
  /** Opens the image bytes; each call gives a fresh stream. */
  file: () => Readable;
  /** The name the annotation used for the image (VOC `<filename>`, COCO `file_name`). */
  filenameHint: string;
  width?: number;
  height?: number;
}

/** One image with all its boxes, as read from a dataset. */
export interface DatasetRecord {
  image: SourceImage;
  boxes: LabeledBox[];
  split?: Split;
}

/**
 * Records as an async iterable: read lazily, one image at a time. `errors` grows while iterating
 * and is complete once iteration ends; a record with any problem is reported there and not yielded.
 */
export interface DatasetSource extends AsyncIterable<DatasetRecord> {
  readonly errors: readonly FormatError[];
  /** Releases the file tree when the reader opened it (a zip keeps a file handle). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ReadOptions {
  /** Renames or merges classes; mapping a class to `null` drops its boxes. */
  classMap?: Record<string, string | null>;
  /** What to do with a box that leaves the image: reject the record (default) or clip the box. */
  outOfBounds?: "reject" | "clamp";
  /** Called for each problem as it is found, besides collecting it in `errors`. */
  onError?: (error: FormatError) => void;
  /** Largest label file (XML, TXT, YAML) read into memory, in bytes; default 16 MiB. */
  maxLabelBytes?: number;
  /** An image with more boxes than this is reported (TOO_MANY_BOXES) and not yielded; default 5000. */
  maxBoxesPerImage?: number;
}

/** One image to write: its bytes come from `stream()`, called once when the archive needs them. */
export interface ExportRecord {
  image: { name: string; width: number; height: number; stream: () => Readable };
  boxes: readonly LabeledBox[];
  split?: Split;
  /** Provenance of a synthetic image, written as `lineage/<image stem>.json`. */
  sidecar?: object;
}
