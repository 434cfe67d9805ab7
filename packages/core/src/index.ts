// @gridfill/core: the domain services and job handlers the API, the worker, the CLI, seeds and
// benches share. Plain TypeScript that takes its dependencies as arguments: no HTTP server, no
// GraphQL server, no ONNX runtime (a test holds it to that).
export type { Deps, Actor, Caller, Role } from "./context.ts";
export { actorOf, hasRole } from "./context.ts";
export { DomainError } from "./errors.ts";
export type { ErrorCode, UploadRejection } from "./errors.ts";
export { createLogger, silentLogger } from "./log.ts";
export type { Logger } from "./log.ts";
export { LoginLimiter } from "./auth/login-limiter.ts";
export { openRuntime } from "./runtime.ts";
export type { Runtime, OpenRuntimeOptions } from "./runtime.ts";

export {
  createUser,
  ensureAdmin,
  login,
  logout,
  resolveCaller,
  createApiToken,
  revokeApiToken,
  setUserRole,
  SESSION_COOKIE,
} from "./auth/service.ts";
export { hashPassword, verifyPassword } from "./auth/credentials.ts";

export {
  createDataset,
  updateDataset,
  deleteDataset,
  findDataset,
  listDatasets,
} from "./datasets/service.ts";
export { createClass, updateClass, deleteClass } from "./classes/service.ts";
export {
  addImageFromBuffer,
  requestUpload,
  confirmUpload,
  sweepExpiredUploads,
} from "./images/uploads.ts";
export type { AddImageInput, BufferAnnotation, ConfirmResult } from "./images/uploads.ts";
export {
  listImages,
  setImageSplit,
  changeImageTags,
  setImageCapture,
  deleteImages,
} from "./images/service.ts";
export { createAnnotation, updateAnnotation, deleteAnnotation } from "./annotations/service.ts";
export { datasetBalance, datasetFillPlan, syntheticPolicy } from "./balance/service.ts";
export {
  applyCounterDeltas,
  changeBoxes,
  changeImageState,
  deleteImagesCounted,
  lockImages,
  readCounters,
  rebuildCounters,
  recomputeCounters,
} from "./balance/counters.ts";
export type { ImageState, CounterDelta } from "./balance/counters.ts";
export { recordAudit } from "./audit/record.ts";
export type { AuditEntry } from "./audit/record.ts";
export { QUEUES, FILL_RETRY_LIMIT, openQueue } from "./jobs/queues.ts";
export type { JobQueue, OpenQueue, QueueName } from "./jobs/queues.ts";
export { registerModelBytes, activateModel, listModels } from "./models/service.ts";
export { requestFill, cancelFill, reviewImages } from "./fills/service.ts";
