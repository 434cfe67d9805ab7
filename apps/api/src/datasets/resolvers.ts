import type { Resolvers } from "../generated/graphql.ts";
import { actorOf } from "../context.ts";
import { pageOf } from "../resolver-kit.ts";
import { countDatasetImages } from "@gridfill/core/images/service.ts";
import { balanceOfDataset } from "../balance/resolvers.ts";
import {
  createDataset,
  deleteDataset,
  findDataset,
  listDatasets,
  updateDataset,
} from "@gridfill/core/datasets/service.ts";

export const datasetResolvers = {
  Query: {
    datasets: (_, args, ctx) => listDatasets(ctx.prisma, pageOf(ctx, args.first), args.after),
    dataset: (_, args, ctx) => findDataset(ctx.prisma, args),
  },
  Mutation: {
    createDataset: (_, args, ctx) => createDataset(ctx.prisma, actorOf(ctx.caller), args.input),
    updateDataset: (_, args, ctx) =>
      updateDataset(ctx.prisma, actorOf(ctx.caller), args.id, args.input),
    deleteDataset: (_, args, ctx) => deleteDataset(ctx, actorOf(ctx.caller), args.id),
  },
  Dataset: {
    classes: (dataset, _, ctx) => ctx.loaders.classesOfDataset.load(dataset.id),
    imageCount: (dataset, _, ctx) => countDatasetImages(ctx, dataset.id),
    balance: (dataset, args, ctx) => balanceOfDataset(ctx, dataset, args),
  },
} satisfies Resolvers;
