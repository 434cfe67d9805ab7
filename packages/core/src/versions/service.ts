// Dataset versions: a frozen, immutable snapshot of a dataset. The manifest (JSON Lines, sorted by
// sha256) is streamed to object storage from one REPEATABLE READ snapshot, in pages, together with
// the class counts copied from ClassCounter, so the manifest and the counts describe the same state.
import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import type { DatasetVersion, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, notFound, requireUuid } from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import { uuidv7 } from "../ids.ts";
import { boxChanges, mergeManifests, readManifest, type ManifestLine } from "./manifest.ts";

export interface VersionDeps {
  prisma: PrismaClient;
  storage: Storage;
}

const PAGE = 1000;
const MAX_NOTE = 2000;
/** Snapshotting reads every image: allow for big datasets. */
const SNAPSHOT_TX = {
  isolationLevel: "RepeatableRead" as const,
  maxWait: 10_000,
  timeout: 30 * 60_000,
};
/** Lists in a diff stop here; the counts stay exact. */
export const DIFF_LIST_LIMIT = 1000;

export function manifestKey(datasetId: string, versionId: string): string {
  return `manifests/${datasetId}/${versionId}.jsonl`;
}

async function* manifestLines(tx: Tx, datasetId: string): AsyncGenerator<ManifestLine> {
  let after = "";
  for (;;) {
    const rows = await tx.$queryRaw<
      (Omit<ManifestLine, "boxes"> & { boxes: ManifestLine["boxes"] | null })[]
    >`
      SELECT i.sha256, i.id::text AS "imageId", i."objectKey" AS key, i.filename, i."mimeType", i.width,
             i.height, i.split::text AS split, i.origin::text AS origin, i."reviewState"::text AS "reviewState",
             (SELECT json_agg(json_build_object('class', c.name, 'x', a.x, 'y', a.y, 'width', a.width,
                                                'height', a.height)
                              ORDER BY c.name, a.x, a.y, a.width, a.height)
                FROM "Annotation" a JOIN "DefectClass" c ON c.id = a."classId"
               WHERE a."imageId" = i.id) AS boxes
      FROM "Image" i
      WHERE i."datasetId" = ${datasetId}::uuid AND i.sha256 COLLATE "C" > ${after}
      ORDER BY i.sha256 COLLATE "C"
      LIMIT ${PAGE}`;
    for (const row of rows) yield { ...row, boxes: row.boxes ?? [] };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.sha256;
  }
}

export async function createVersion(
  deps: VersionDeps,
  actor: Actor,
  datasetIdRaw: string,
  noteRaw: string | null | undefined,
): Promise<DatasetVersion> {
  const { prisma, storage } = deps;
  const datasetId = requireUuid(datasetIdRaw, "dataset");
  const note = (noteRaw ?? "").trim();
  if (note.length > MAX_NOTE) throw badInput(`the note is longer than ${MAX_NOTE} characters`);
  const versionId = uuidv7();
  const key = manifestKey(datasetId, versionId);
  let uploaded = false;
  try {
    return await prisma.$transaction(async (tx) => {
      // Serialises versions of one dataset (numbers stay dense) and pins the snapshot.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Dataset" WHERE id = ${datasetId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw notFound("dataset", datasetIdRaw);
      const hash = createHash("sha256");
      let images = 0;
      let boxes = 0;
      const body = new PassThrough();
      const lines = Readable.from(
        (async function* () {
          for await (const line of manifestLines(tx, datasetId)) {
            images += 1;
            boxes += line.boxes.length;
            const text = JSON.stringify(line) + "\n";
            hash.update(text);
            yield text;
          }
        })(),
      );
      lines.pipe(body);
      lines.on("error", (error) => body.destroy(error));
      await storage.put("exports", key, body, { contentType: "application/x-ndjson" });
      uploaded = true;
      const last = await tx.datasetVersion.aggregate({
        where: { datasetId },
        _max: { number: true },
      });
      const version = await tx.datasetVersion.create({
        data: {
          id: versionId,
          datasetId,
          number: (last._max.number ?? 0) + 1,
          note,
          manifestKey: key,
          manifestSha256: hash.digest("hex"),
          images,
          boxes,
          createdById: actor?.id ?? null,
        },
      });
      await tx.$executeRaw`
        INSERT INTO "DatasetVersionClassCount" ("versionId", "classId", "className", split, origin, "reviewState", images, boxes)
        SELECT ${versionId}::uuid, cc."classId", c.name, cc.split, cc.origin, cc."reviewState", cc.images, cc.boxes
        FROM "ClassCounter" cc JOIN "DefectClass" c ON c.id = cc."classId"
        WHERE cc."datasetId" = ${datasetId}::uuid AND (cc.images <> 0 OR cc.boxes <> 0)`;
      await recordAudit(tx, {
        actor,
        action: "version.create",
        entityType: "DatasetVersion",
        entityId: versionId,
        datasetId,
        details: { number: version.number, images, boxes, note },
      });
      return version;
    }, SNAPSHOT_TX);
  } catch (error) {
    if (uploaded) await storage.remove("exports", key).catch(() => {});
    throw error;
  }
}

export function listVersions(prisma: PrismaClient, datasetId: string) {
  return prisma.datasetVersion.findMany({
    where: { datasetId: requireUuid(datasetId, "dataset") },
    orderBy: { number: "desc" },
    take: 1000,
  });
}

export function findVersion(prisma: PrismaClient, id: string) {
  return prisma.datasetVersion.findUnique({ where: { id: requireUuid(id, "version") } });
}

export async function requireVersion(prisma: PrismaClient, id: string): Promise<DatasetVersion> {
  const version = await findVersion(prisma, id);
  if (!version) throw notFound("version", id);
  return version;
}

export interface ClassDelta {
  className: string;
  imagesBefore: number;
  imagesAfter: number;
  boxesBefore: number;
  boxesAfter: number;
}

export async function versionDiff(deps: VersionDeps, fromId: string, toId: string) {
  const { prisma, storage } = deps;
  const from = await requireVersion(prisma, fromId);
  const to = await requireVersion(prisma, toId);
  if (from.datasetId !== to.datasetId)
    throw badInput("both versions must belong to the same dataset");

  const added: ManifestLine[] = [];
  const removed: ManifestLine[] = [];
  const changed: {
    sha256: string;
    filename: string;
    boxesBefore: number;
    boxesAfter: number;
    boxesAdded: number;
    boxesRemoved: number;
  }[] = [];
  let imagesAdded = 0;
  let imagesRemoved = 0;
  let imagesChanged = 0;
  const a = readManifest(await storage.getStream("exports", from.manifestKey));
  const b = readManifest(await storage.getStream("exports", to.manifestKey));
  for await (const step of mergeManifests(a, b)) {
    if (step.before && step.after) {
      const c = boxChanges(step.before.boxes, step.after.boxes);
      if (c.added || c.removed) {
        imagesChanged += 1;
        if (changed.length < DIFF_LIST_LIMIT)
          changed.push({
            sha256: step.after.sha256,
            filename: step.after.filename,
            boxesBefore: step.before.boxes.length,
            boxesAfter: step.after.boxes.length,
            boxesAdded: c.added,
            boxesRemoved: c.removed,
          });
      }
    } else if (step.after) {
      imagesAdded += 1;
      if (added.length < DIFF_LIST_LIMIT) added.push(step.after);
    } else if (step.before) {
      imagesRemoved += 1;
      if (removed.length < DIFF_LIST_LIMIT) removed.push(step.before);
    }
  }

  const counts = await prisma.datasetVersionClassCount.groupBy({
    by: ["versionId", "className"],
    where: { versionId: { in: [from.id, to.id] } },
    _sum: { images: true, boxes: true },
  });
  const deltas = new Map<string, ClassDelta>();
  for (const row of counts) {
    const d = deltas.get(row.className) ?? {
      className: row.className,
      imagesBefore: 0,
      imagesAfter: 0,
      boxesBefore: 0,
      boxesAfter: 0,
    };
    if (row.versionId === from.id) {
      d.imagesBefore += row._sum.images ?? 0;
      d.boxesBefore += row._sum.boxes ?? 0;
    } else {
      d.imagesAfter += row._sum.images ?? 0;
      d.boxesAfter += row._sum.boxes ?? 0;
    }
    deltas.set(row.className, d);
  }
  const line = (l: ManifestLine) => ({
    sha256: l.sha256,
    filename: l.filename,
    split: l.split,
    boxes: l.boxes.length,
  });
  return {
    from,
    to,
    imagesAdded,
    imagesRemoved,
    imagesChanged,
    added: added.map(line),
    removed: removed.map(line),
    changed,
    truncated:
      imagesAdded > added.length ||
      imagesRemoved > removed.length ||
      imagesChanged > changed.length,
    classDeltas: [...deltas.values()]
      .map((d) => ({
        ...d,
        imagesDelta: d.imagesAfter - d.imagesBefore,
        boxesDelta: d.boxesAfter - d.boxesBefore,
      }))
      .sort((x, y) => x.className.localeCompare(y.className)),
  };
}
