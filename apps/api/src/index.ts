// @gridfill/api: the GraphQL API process. It serves and enqueues; the worker (@gridfill/worker)
// runs the jobs, and the domain lives in @gridfill/core.
export { startApi, buildSchema } from "./server.ts";
export type { StartApiOptions, RunningApi } from "./server.ts";
export type { ApiContext } from "./context.ts";
