// Resolvers of the sensor band balance: see sensor-bands.graphql.
import type { Resolvers } from "../generated/graphql.ts";
import { referenced } from "../resolver-kit.ts";
import { sensorBandBalance, type SensorBandResult } from "@gridfill/core/iot/sensor-bands.ts";

/** One class's count in one band, as the balance service returns it. */
export type SensorBandClassRow = SensorBandResult["bands"][number]["classes"][number];

export const sensorBandResolvers = {
  Query: {
    sensorBandBalance: (_, args, ctx) => sensorBandBalance(ctx.prisma, args),
  },
  SensorBandClassCount: {
    defectClass: (c, _, ctx) => referenced(ctx.loaders.defectClass, c.classId),
  },
} satisfies Resolvers;
