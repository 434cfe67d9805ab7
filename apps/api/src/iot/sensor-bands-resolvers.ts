// Resolvers of the sensor band balance: see sensor-bands.graphql.
import type { ApiContext } from "../context.ts";
import { sensorBandBalance, type SensorBandResult } from "@gridfill/core/iot/sensor-bands.ts";

export const sensorBandResolvers = {
  Query: {
    sensorBandBalance: (
      _: unknown,
      args: {
        datasetId: string;
        metric: string;
        bands?: number[] | null;
        quantiles?: number | null;
        window?: number | null;
      },
      ctx: ApiContext,
    ) => sensorBandBalance(ctx.prisma, args),
  },
  SensorBandClassCount: {
    defectClass: (
      c: SensorBandResult["bands"][number]["classes"][number],
      _: unknown,
      ctx: ApiContext,
    ) => ctx.loaders.defectClass.load(c.classId),
  },
};
