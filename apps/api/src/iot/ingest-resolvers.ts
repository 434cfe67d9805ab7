// The API's ingest path: see ingest.graphql.
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { ingestReadings, type ReadingRow } from "@gridfill/core/iot/ingest.ts";

export const ingestResolvers = {
  Mutation: {
    ingestReadings: (_: unknown, args: { batch: ReadingRow[] }, ctx: ApiContext) =>
      ingestReadings(ctx.prisma, actorOf(ctx.caller), args.batch),
  },
};
