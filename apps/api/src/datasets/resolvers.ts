import type { Dataset } from "@gridfill/db";
import type { Split } from "@gridfill/balance";
import type { ApiContext } from "../context.ts";
import { actorOf } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import type { ClassInput } from "@gridfill/core/classes/service.ts";
import { countDatasetImages } from "@gridfill/core/images/service.ts";
import { balanceOfDataset } from "../balance/resolvers.ts";
import {
  createDataset,
  deleteDataset,
  findDataset,
  listDatasets,
  updateDataset,
  type UpdateDatasetInput,
} from "@gridfill/core/datasets/service.ts";

export const datasetResolvers = {
  Query: {
    datasets: (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: ApiContext,
    ) => listDatasets(ctx.prisma, pageOf(ctx, args.first), args.after),
    dataset: (_: unknown, args: { id?: string | null; name?: string | null }, ctx: ApiContext) =>
      findDataset(ctx.prisma, args),
  },
  Mutation: {
    createDataset: (
      _: unknown,
      args: { input: { name: string; description?: string | null; classes?: ClassInput[] | null } },
      ctx: ApiContext,
    ) => createDataset(ctx.prisma, actorOf(ctx.caller), args.input),
    updateDataset: (_: unknown, args: { id: string; input: UpdateDatasetInput }, ctx: ApiContext) =>
      updateDataset(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteDataset: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      deleteDataset(ctx, actorOf(ctx.caller), args.id),
  },
  Dataset: {
    classes: (dataset: Dataset, _: unknown, ctx: ApiContext) =>
      ctx.loaders.classesOfDataset.load(dataset.id),
    imageCount: (dataset: Dataset, _: unknown, ctx: ApiContext) =>
      countDatasetImages(ctx, dataset.id),
    balance: (
      dataset: Dataset,
      args: { unit?: "IMAGES" | "BOXES" | null; splits?: Split[] | null },
      ctx: ApiContext,
    ) => balanceOfDataset(ctx, dataset, args),
  },
};
