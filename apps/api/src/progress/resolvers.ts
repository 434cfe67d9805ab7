// Import and export progress over graphql-ws, driven by the progress hub (one LISTEN per process).
import type { ExportJob, ImportJob } from "@gridfill/db";
import { findImportJob } from "@gridfill/core/imports/service.ts";
import { findExportJob } from "@gridfill/core/exports/service.ts";
import type { ApiContext } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { requireUuid } from "../errors.ts";
import { progressHub, watchProgress, type ProgressKind } from "./hub.ts";

const finished = (row: { status: string }) => row.status === "SUCCEEDED" || row.status === "FAILED";

/** Any change of the row counts (progress columns may be written by raw SQL, not bumping updatedAt). */
const rowSignature = (row: object) =>
  JSON.stringify(row, (_, value: unknown) => (typeof value === "bigint" ? String(value) : value));

function watchJob<T extends { status: string }>(
  ctx: ApiContext,
  kind: ProgressKind,
  id: string,
  load: () => Promise<T | null>,
) {
  return watchProgress(progressHub(ctx.pool), {
    matches: (event) => event.kind === kind && event.id === id,
    load,
    signature: rowSignature,
    finished,
  });
}

const passThrough = <T>(payload: T) => payload;

export const progressResolvers = {
  Subscription: {
    importJobUpdated: {
      subscribe: (_, args, ctx) => {
        const id = requireUuid(args.id, "import job");
        return watchJob<ImportJob>(ctx, "import", id, () => findImportJob(ctx.prisma, id));
      },
      resolve: passThrough,
    },
    exportJobUpdated: {
      subscribe: (_, args, ctx) => {
        const id = requireUuid(args.id, "export job");
        return watchJob<ExportJob>(ctx, "export", id, () => findExportJob(ctx.prisma, id));
      },
      resolve: passThrough,
    },
  },
} satisfies Resolvers;
