// Small helpers the domain resolvers share.
import type { Prisma } from "@gridfill/db";
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

/**
 * The row a non-null field points to by foreign key. The database keeps such references valid, so a
 * missing row is a broken invariant, reported as an internal error (as a null there would be).
 */
export async function referenced<T>(
  loader: { load(id: string): Promise<T | null> },
  id: string,
): Promise<T> {
  const row = await loader.load(id);
  if (row === null) throw new Error(`row ${id} referenced by a non-null field is missing`);
  return row;
}

/** One problem with one file of an import or a prediction upload, as its job records it. */
export interface FileProblem {
  file: string;
  code: string;
  message: string;
}

/** The problems a job wrote into its JSON errors column (an array of FileProblem, nothing else). */
export function fileProblems(column: Prisma.JsonValue): FileProblem[] {
  if (!Array.isArray(column)) return [];
  const problems: FileProblem[] = [];
  for (const e of column) {
    if (!e || typeof e !== "object" || Array.isArray(e)) continue;
    const { file, code, message } = e;
    if (typeof file === "string" && typeof code === "string" && typeof message === "string")
      problems.push({ file, code, message });
  }
  return problems;
}
