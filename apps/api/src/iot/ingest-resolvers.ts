// The API's ingest path: see ingest.graphql.
import { actorOf } from "../context.ts";
import type { Resolvers } from "../generated/graphql.ts";
import { ingestReadings } from "@gridfill/core/iot/ingest.ts";

export const ingestResolvers = {
  Mutation: {
    ingestReadings: (_, args, ctx) => ingestReadings(ctx.prisma, actorOf(ctx.caller), args.batch),
  },
} satisfies Resolvers;
