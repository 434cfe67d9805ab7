// @gridfill/worker: the process that runs jobs (imports, exports, fills, regenerate) from the
// queue. `gridfill worker` runs it; `gridfill start` supervises one beside the API.
export { startJobs, WORK_KINDS } from "./jobs.ts";
export type { JobDeps, RunningJobs, WorkKind, StartJobsOptions } from "./jobs.ts";
export { runFillJob } from "./fills/job.ts";
export { ModelCache, processModelCache } from "./fills/models.ts";
export { syntheticKey } from "./fills/sampling.ts";
