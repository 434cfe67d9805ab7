// The defect-class taxonomy of a dataset: classes with an optional parent, a colour and an asset
// type; a defect class may name the host class its defects sit on (a missing cap on an insulator),
// and object classes (insulators, towers) are marked as host objects.
import type { AssetType, DefectClass, PrismaClient } from "@gridfill/db";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import { nextClassColor } from "@gridfill/balance";

export interface ClassInput {
  name?: string | null;
  title?: string | null;
  color?: string | null;
  assetType?: AssetType | null;
  parentId?: string | null;
  hostClassId?: string | null;
  isHostObject?: boolean | null;
}

/** The host class of a class: another class of the same dataset, or null. */
async function checkHostClass(
  tx: Tx,
  datasetId: string,
  classId: string | null,
  hostClassId: string | null,
): Promise<string | null> {
  if (hostClassId === null) return null;
  const id = requireUuid(hostClassId, "host class");
  if (id === classId) throw badInput("a class cannot be its own host class");
  const host = await tx.defectClass.findUnique({ where: { id }, select: { datasetId: true } });
  if (!host || host.datasetId !== datasetId)
    throw badInput(`host class ${hostClassId} is not in this dataset`);
  return id;
}

const CLASS_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.\-/]{0,63}$/u;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export function checkClassName(raw: string): string {
  const name = raw.trim();
  if (!CLASS_NAME.test(name)) {
    throw badInput(
      `class name "${raw}" must be 1–64 letters, digits, spaces or _ . - /, starting with a letter or digit`,
    );
  }
  return name;
}

function checkColor(raw: string): string {
  if (!COLOR.test(raw)) throw badInput(`colour "${raw}" must look like #RRGGBB`);
  return raw.toUpperCase();
}

function checkTitle(raw: string): string {
  const title = raw.trim();
  if (title.length > 200) throw badInput("a class title has at most 200 characters");
  return title;
}

/** Creates classes in a transaction (used by createClass and createDataset). Names must be new. */
export async function insertClasses(
  tx: Tx,
  datasetId: string,
  inputs: readonly ClassInput[],
  actor: Actor,
): Promise<DefectClass[]> {
  const existing = await tx.defectClass.findMany({
    where: { datasetId },
    select: { id: true, name: true, color: true },
  });
  const usedColors = existing.map((c) => c.color);
  const names = new Set(existing.map((c) => c.name.toLowerCase()));
  const created: DefectClass[] = [];
  for (const input of inputs) {
    const name = checkClassName(input.name ?? "");
    if (names.has(name.toLowerCase()))
      throw conflict(`the dataset already has a class named "${name}"`);
    names.add(name.toLowerCase());
    let parentId: string | null = null;
    if (input.parentId) {
      parentId = requireUuid(input.parentId, "parent class");
      const parent =
        existing.find((c) => c.id === parentId) ?? created.find((c) => c.id === parentId);
      if (!parent) throw badInput(`parent class ${input.parentId} is not in this dataset`);
    }
    const color = input.color ? checkColor(input.color) : nextClassColor(usedColors);
    usedColors.push(color);
    const row = await tx.defectClass.create({
      data: {
        datasetId,
        name,
        title: checkTitle(input.title ?? ""),
        color,
        assetType: input.assetType ?? "OTHER",
        parentId,
        hostClassId: await checkHostClass(tx, datasetId, null, input.hostClassId ?? null),
        isHostObject: input.isHostObject ?? false,
      },
    });
    created.push(row);
    await recordAudit(tx, {
      actor,
      action: "class.create",
      entityType: "DefectClass",
      entityId: row.id,
      datasetId,
      details: { name, parentId },
    });
  }
  return created;
}

export async function createClass(
  prisma: PrismaClient,
  actor: Actor,
  datasetId: string,
  input: ClassInput,
): Promise<DefectClass> {
  const id = requireUuid(datasetId, "dataset");
  return prisma.$transaction(async (tx) => {
    // Serialises class creation per dataset, so concurrent creates cannot race on names.
    const rows = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "Dataset" WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) throw notFound("dataset", datasetId);
    const [created] = await insertClasses(tx, id, [input], actor);
    return created!;
  });
}

export async function updateClass(
  prisma: PrismaClient,
  actor: Actor,
  classId: string,
  input: ClassInput,
): Promise<DefectClass> {
  const id = requireUuid(classId, "class");
  return prisma.$transaction(async (tx) => {
    const current = await tx.defectClass.findUnique({ where: { id } });
    if (!current) throw notFound("class", classId);
    const data: Partial<
      Pick<
        DefectClass,
        "name" | "title" | "color" | "assetType" | "parentId" | "hostClassId" | "isHostObject"
      >
    > = {};
    if (input.name != null) {
      data.name = checkClassName(input.name);
      const clash = await tx.defectClass.findFirst({
        where: {
          datasetId: current.datasetId,
          name: { equals: data.name, mode: "insensitive" },
          NOT: { id },
        },
      });
      if (clash) throw conflict(`the dataset already has a class named "${data.name}"`);
    }
    if (input.title != null) data.title = checkTitle(input.title);
    if (input.color != null) data.color = checkColor(input.color);
    if (input.assetType != null) data.assetType = input.assetType;
    if (input.isHostObject != null) data.isHostObject = input.isHostObject;
    if (input.hostClassId !== undefined)
      data.hostClassId = await checkHostClass(tx, current.datasetId, id, input.hostClassId);
    if (input.parentId !== undefined) {
      if (input.parentId === null) data.parentId = null;
      else {
        const parentId = requireUuid(input.parentId, "parent class");
        const parent = await tx.defectClass.findUnique({ where: { id: parentId } });
        if (!parent || parent.datasetId !== current.datasetId)
          throw badInput(`parent class ${input.parentId} is not in this dataset`);
        // Walk up from the new parent: meeting the class itself would close a cycle.
        let cursor: string | null = parent.id;
        for (let steps = 0; cursor; steps++) {
          if (cursor === id || steps > 1000) throw badInput("a class cannot be its own ancestor");
          const up: { parentId: string | null } | null = await tx.defectClass.findUnique({
            where: { id: cursor },
            select: { parentId: true },
          });
          cursor = up?.parentId ?? null;
        }
        data.parentId = parentId;
      }
    }
    const updated = await tx.defectClass.update({ where: { id }, data });
    await recordAudit(tx, {
      actor,
      action: "class.update",
      entityType: "DefectClass",
      entityId: id,
      datasetId: current.datasetId,
      details: { ...data },
    });
    return updated;
  });
}

/** Deletes a class; refused (CONFLICT) while annotations use it. Child classes lose their parent. */
export async function deleteClass(
  prisma: PrismaClient,
  actor: Actor,
  classId: string,
): Promise<boolean> {
  const id = requireUuid(classId, "class");
  return prisma.$transaction(async (tx) => {
    const current = await tx.defectClass.findUnique({ where: { id } });
    if (!current) throw notFound("class", classId);
    // Locks the class row: an annotation insert referencing it waits (FK key-share lock) until we finish.
    await tx.$queryRaw`SELECT id FROM "DefectClass" WHERE id = ${id}::uuid FOR UPDATE`;
    const used = await tx.annotation.count({ where: { classId: id } });
    if (used > 0)
      throw conflict(
        `class "${current.name}" is used by ${used} annotation(s); reassign or delete them first`,
        { annotations: used },
      );
    await tx.defectClass.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      action: "class.delete",
      entityType: "DefectClass",
      entityId: id,
      datasetId: current.datasetId,
      details: { name: current.name },
    });
    return true;
  });
}
