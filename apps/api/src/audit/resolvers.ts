import type { AuditEvent } from "@gridfill/db";
import type { ApiContext } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import { listAuditEvents } from "@gridfill/core/audit/service.ts";

export const auditResolvers = {
  Query: {
    auditEvents: (
      _: unknown,
      args: { datasetId?: string | null; first?: number | null; after?: string | null },
      ctx: ApiContext,
    ) =>
      listAuditEvents(ctx.prisma, {
        datasetId: args.datasetId,
        first: pageOf(ctx, args.first),
        after: args.after,
      }),
  },
  AuditEvent: {
    id: (event: AuditEvent) => event.id.toString(),
    actor: (event: AuditEvent, _: unknown, ctx: ApiContext) =>
      event.actorId ? ctx.loaders.user.load(event.actorId) : null,
  },
};
