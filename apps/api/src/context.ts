// What every resolver receives: the domain dependencies, the caller, and per-request loaders.
import type { Response } from "express";
import type { Caller, Deps, LoginLimiter } from "@gridfill/core";
import type { Loaders } from "./loaders.ts";

export type { Actor, Caller, Role } from "@gridfill/core";
export { actorOf, hasRole } from "@gridfill/core";

export type ApiDeps = Deps;

export interface ApiContext extends Deps {
  caller: Caller | null;
  requestId: string;
  loaders: Loaders;
  /** Present for HTTP requests (login sets the session cookie on it). */
  res?: Response;
  clientAddress?: string;
  loginLimiter?: LoginLimiter;
}
