export {
  storageConfig,
  storageConfigFromEnv,
  parseEndpoint,
  StorageConfigError,
  DEFAULT_REGION,
  DEFAULT_BUCKET_PREFIX,
  DEFAULT_PRESIGN_TTL_SECONDS,
  MAX_PRESIGN_TTL_SECONDS,
} from "./config.ts";
export type { StorageConfig, StorageSettings, EnvLike } from "./config.ts";
export { startEmbeddedS3, KEYS_FILE, directoryKeys } from "./embedded-s3.ts";
export type { EmbeddedS3, EmbeddedS3Options } from "./embedded-s3.ts";
export {
  Storage,
  imageKey,
  thumbnailKey,
  assertKey,
  assertSha256,
  ObjectNotFoundError,
  ObjectTooLargeError,
  BUCKET_IDS,
  THUMBNAIL_SIZES,
} from "./storage.ts";
export type {
  BucketId,
  ObjectStat,
  PresignedRequest,
  ThumbnailResult,
  StorageOptions,
} from "./storage.ts";
export {
  IMAGE_MIME_TYPES,
  imageMimeTypeOf,
  inspectImage,
  SUPPORTED_IMAGE_FORMATS,
} from "./image-check.ts";
export type { ImageCheckCode, ImageCheckResult, ImageFormat, ImageLimits } from "./image-check.ts";
export {
  makePng,
  makeJpeg,
  makeWebp,
  makeGif,
  makeTruncatedPng,
  makeBombPng,
  textFileAsPng,
} from "./fixtures.ts";
