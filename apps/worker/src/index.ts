// @gridfill/worker: the process that runs jobs (imports, exports, fills, regenerate) from the
// queue. `gridfill worker` runs it; `gridfill start` supervises one beside the API.
export { startJobs, WORK_KINDS } from "./jobs.ts";
export type { JobDeps, RunningJobs, WorkKind, StartJobsOptions } from "./jobs.ts";
export { runFillJob, ModelCache, syntheticKey, processModelCache } from "./fills/worker.ts";
