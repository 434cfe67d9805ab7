// Small helpers the domain resolvers share.
import type { ApiContext, Caller } from "./context.ts";
import { unauthenticated } from "./errors.ts";
import { pageSize } from "@gridfill/core/pagination.ts";

/** The caller of a field that @auth already guarded; a missing caller is a wiring bug, refused anyway. */
export function callerOf(ctx: ApiContext): Caller {
  if (!ctx.caller) throw unauthenticated();
  return ctx.caller;
}

export function pageOf(ctx: ApiContext, first: number | null | undefined): number {
  return pageSize(first, ctx.config.maxPageSize);
}

export type Resolver<Args = Record<string, never>, Parent = unknown, Result = unknown> = (
  parent: Parent,
  args: Args,
  ctx: ApiContext,
) => Result | Promise<Result>;
