// The executable schema: the root SDL plus one SDL file and one resolver map per domain folder.
import type { GraphQLSchema } from "graphql";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { DateTime, JSONScalar } from "./scalars.ts";
import { loadTypeDefs } from "./sdl.ts";
import { authResolvers } from "./auth/resolvers.ts";
import { datasetResolvers } from "./datasets/resolvers.ts";
import { classResolvers } from "./classes/resolvers.ts";
import { imageResolvers } from "./images/resolvers.ts";
import { annotationResolvers } from "./annotations/resolvers.ts";
import { balanceResolvers } from "./balance/resolvers.ts";
import { auditResolvers } from "./audit/resolvers.ts";
import { importResolvers } from "./imports/resolvers.ts";
import { versionResolvers } from "./versions/resolvers.ts";
import { exportResolvers } from "./exports/resolvers.ts";
import { iotResolvers } from "./iot/resolvers.ts";
import { modelResolvers } from "./models/resolvers.ts";
import { fillResolvers } from "./fills/resolvers.ts";
import { progressResolvers } from "./progress/resolvers.ts";
import { predictionResolvers } from "./predictions/resolvers.ts";

export { DOMAINS, domainSdlFiles, loadTypeDefs } from "./sdl.ts";

type ResolverMap = Record<string, Record<string, unknown>>;

function mergeResolvers(maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const name of Object.keys(fields)) {
        if (merged[type]?.[name]) throw new Error(`resolver ${type}.${name} is defined twice`);
      }
      merged[type] = { ...merged[type], ...fields };
    }
  }
  return merged;
}

const rootResolvers = {
  Query: { _health: () => "ok" },
  Mutation: { _noop: () => null },
};

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [
      { DateTime, JSON: JSONScalar },
      mergeResolvers([
        rootResolvers,
        authResolvers,
        datasetResolvers,
        classResolvers,
        imageResolvers,
        annotationResolvers,
        balanceResolvers,
        auditResolvers,
        importResolvers,
        versionResolvers,
        exportResolvers,
        iotResolvers,
        modelResolvers,
        fillResolvers,
        progressResolvers,
        predictionResolvers,
      ] as ResolverMap[]),
    ],
    // A resolver for a field the SDL lacks is a typo, not an extension.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}
