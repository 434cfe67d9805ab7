// Datasets: create (with their first classes), update the policy, list, delete with their objects.
import type { Dataset, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, conflict, isUuid, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { insertClasses, type ClassInput } from "../classes/service.ts";
import { removeUnreferencedObjects, type StoredObject } from "../images/objects.ts";
import type { Logger } from "../log.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";

const DATASET_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,99}$/u;

function checkName(raw: string): string {
  const name = raw.trim();
  if (!DATASET_NAME.test(name)) {
    throw badInput(
      `dataset name "${raw}" must be 1–100 letters, digits, spaces or _ . -, starting with a letter or digit`,
    );
  }
  return name;
}

function checkDescription(raw: string): string {
  if (raw.length > 10_000) throw badInput("a description has at most 10,000 characters");
  return raw;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

export async function listDatasets(
  prisma: PrismaClient,
  first: number,
  after?: string | null,
): Promise<Connection<Dataset>> {
  const cursor = decodeCursor(after, isUuid);
  const rows = await prisma.dataset.findMany({
    where: cursor ? { id: { gt: cursor } } : {},
    orderBy: { id: "asc" },
    take: first + 1,
  });
  return toConnection(rows, first, (d) => d.id);
}

export async function findDataset(
  prisma: PrismaClient,
  by: { id?: string | null; name?: string | null },
): Promise<Dataset | null> {
  if (by.id)
    return isUuid(by.id) ? prisma.dataset.findUnique({ where: { id: by.id.toLowerCase() } }) : null;
  if (by.name) return prisma.dataset.findUnique({ where: { name: by.name.trim() } });
  throw badInput("give the dataset's id or its name");
}

export async function requireDataset(prisma: PrismaClient, id: string): Promise<Dataset> {
  const dataset = await findDataset(prisma, { id: requireUuid(id, "dataset") });
  if (!dataset) throw notFound("dataset", id);
  return dataset;
}

export interface CreateDatasetInput {
  name: string;
  description?: string | null;
  classes?: ClassInput[] | null;
}

export async function createDataset(
  prisma: PrismaClient,
  actor: Actor,
  input: CreateDatasetInput,
): Promise<Dataset> {
  const name = checkName(input.name);
  const description = checkDescription(input.description ?? "");
  if ((input.classes ?? []).some((c) => c.parentId)) {
    throw badInput(
      "classes created with a dataset cannot name a parent yet; set parents with updateClass",
    );
  }
  try {
    return await prisma.$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: { name, description, createdById: actor?.id ?? null },
      });
      await recordAudit(tx, {
        actor,
        action: "dataset.create",
        entityType: "Dataset",
        entityId: dataset.id,
        datasetId: dataset.id,
        details: { name },
      });
      await insertClasses(tx, dataset.id, input.classes ?? [], actor);
      return dataset;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a dataset named "${name}" already exists`);
    throw error;
  }
}

export interface UpdateDatasetInput {
  name?: string | null;
  description?: string | null;
  countPendingSynthetic?: boolean | null;
  countUnreviewedPredicted?: boolean | null;
  syntheticShareCap?: number | null;
}

export async function updateDataset(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: UpdateDatasetInput,
): Promise<Dataset> {
  const datasetId = requireUuid(id, "dataset");
  const data: Partial<
    Pick<
      Dataset,
      | "name"
      | "description"
      | "countPendingSynthetic"
      | "countUnreviewedPredicted"
      | "syntheticShareCap"
    >
  > = {};
  if (input.name != null) data.name = checkName(input.name);
  if (input.description != null) data.description = checkDescription(input.description);
  if (input.countPendingSynthetic != null) data.countPendingSynthetic = input.countPendingSynthetic;
  if (input.countUnreviewedPredicted != null)
    data.countUnreviewedPredicted = input.countUnreviewedPredicted;
  if (input.syntheticShareCap != null) {
    if (!(input.syntheticShareCap >= 0 && input.syntheticShareCap <= 1))
      throw badInput("syntheticShareCap must be between 0 and 1");
    data.syntheticShareCap = input.syntheticShareCap;
  }
  try {
    return await prisma.$transaction(async (tx) => {
      const existing = await tx.dataset.findUnique({ where: { id: datasetId } });
      if (!existing) throw notFound("dataset", id);
      const updated = await tx.dataset.update({ where: { id: datasetId }, data });
      await recordAudit(tx, {
        actor,
        action: "dataset.update",
        entityType: "Dataset",
        entityId: datasetId,
        datasetId,
        details: { ...data },
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a dataset named "${data.name}" already exists`);
    throw error;
  }
}

/**
 * Deletes a dataset and all its rows in one transaction, then (after the commit) the image objects
 * and thumbnails that no other dataset's images reference.
 */
export async function deleteDataset(
  deps: { prisma: PrismaClient; storage: Storage; log?: Logger },
  actor: Actor,
  id: string,
): Promise<boolean> {
  const datasetId = requireUuid(id, "dataset");
  const { prisma } = deps;
  const objects = await prisma.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<
        { name: string }[]
      >`SELECT name FROM "Dataset" WHERE id = ${datasetId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw notFound("dataset", id);
      const stored = await tx.$queryRaw<StoredObject[]>`
        SELECT DISTINCT "objectKey", sha256 FROM "Image" WHERE "datasetId" = ${datasetId}::uuid`;
      const staged = await tx.uploadIntent.findMany({
        where: { datasetId, confirmedAt: null },
        select: { objectKey: true },
      });
      // Images (and their boxes) first: Annotation.classId is ON DELETE RESTRICT, so cascading from
      // the dataset would trip over classes that still have boxes.
      await tx.$executeRaw`DELETE FROM "Image" WHERE "datasetId" = ${datasetId}::uuid`;
      await tx.dataset.delete({ where: { id: datasetId } });
      await recordAudit(tx, {
        actor,
        action: "dataset.delete",
        entityType: "Dataset",
        entityId: datasetId,
        datasetId,
        details: { name: locked[0]!.name, objects: stored.length },
      });
      return { stored, staged: staged.map((s) => s.objectKey) };
    },
    { timeout: 120_000 },
  );
  await removeUnreferencedObjects(deps, objects.stored);
  if (objects.staged.length)
    await deps.storage
      .removeMany("images", objects.staged)
      .catch((error) => deps.log?.warn("could not remove staged uploads", { error }));
  return true;
}
