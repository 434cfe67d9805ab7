// Per-request batching: resolvers of nested fields (an image's dataset, a box's class, an event's
// actor) load through these, so a page of 200 images costs one query per relation, not 200.
import DataLoader from "dataloader";
import type { Annotation, Dataset, DefectClass, Image, Pool, PrismaClient } from "@gridfill/db";
import { selectDatasets, selectUsers, type PublicUser } from "@gridfill/core/db.ts";

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupedBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await load([...keys]);
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(keyOf(row)) ?? [];
      list.push(row);
      map.set(keyOf(row), list);
    }
    return keys.map((k) => map.get(k) ?? []);
  });
}

export function createLoaders(prisma: PrismaClient, pool?: Pool) {
  const db = { prisma, ...(pool ? { pool } : {}) };
  return {
    dataset: byId<Dataset>((ids) => selectDatasets(db, ids)),
    defectClass: byId<DefectClass>((ids) =>
      prisma.defectClass.findMany({ where: { id: { in: ids } } }),
    ),
    // Public columns only: a password hash never enters a resolver.
    user: byId<PublicUser>((ids) => selectUsers(db, ids)),
    image: byId<Image>((ids) => prisma.image.findMany({ where: { id: { in: ids } } })),
    classesOfDataset: groupedBy<DefectClass>(
      (ids) =>
        prisma.defectClass.findMany({
          where: { datasetId: { in: ids } },
          orderBy: [{ name: "asc" }],
        }),
      (c) => c.datasetId,
    ),
    childrenOfClass: groupedBy<DefectClass>(
      (ids) =>
        prisma.defectClass.findMany({
          where: { parentId: { in: ids } },
          orderBy: [{ name: "asc" }],
        }),
      (c) => c.parentId ?? "",
    ),
    annotationsOfImage: groupedBy<Annotation>(
      (ids) =>
        prisma.annotation.findMany({ where: { imageId: { in: ids } }, orderBy: [{ id: "asc" }] }),
      (a) => a.imageId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
