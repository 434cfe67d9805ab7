import type { Resolvers } from "../generated/graphql.ts";
import { pageOf } from "../resolver-kit.ts";
import { listAuditEvents } from "@gridfill/core/audit/service.ts";

export const auditResolvers = {
  Query: {
    auditEvents: (_, args, ctx) =>
      listAuditEvents(ctx.prisma, {
        datasetId: args.datasetId,
        first: pageOf(ctx, args.first),
        after: args.after,
      }),
  },
  AuditEvent: {
    id: (event) => event.id.toString(),
    actor: (event, _, ctx) => (event.actorId ? ctx.loaders.user.load(event.actorId) : null),
  },
} satisfies Resolvers;
