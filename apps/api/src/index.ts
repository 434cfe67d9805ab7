// @gridfill/api: the GraphQL API and the services behind it, for the CLI, seeders and importers.
export { startApi, buildSchema } from "./server.ts";
export type { StartApiOptions, RunningApi } from "./server.ts";
export type { ApiDeps, Actor, Caller, Role } from "./context.ts";
export { DomainError } from "./errors.ts";
export type { ErrorCode, UploadRejection } from "./errors.ts";
export { createLogger, silentLogger } from "./log.ts";
export type { Logger } from "./log.ts";

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
export { startJobs, QUEUES, WORK_KINDS } from "./jobs/index.ts";
export type { JobDeps, JobQueue, RunningJobs, WorkKind } from "./jobs/index.ts";
export { registerModelBytes, activateModel, listModels } from "./models/service.ts";
export { requestFill, cancelFill, reviewImages } from "./fills/service.ts";
export { runFillJob, ModelCache, syntheticKey } from "./fills/worker.ts";
