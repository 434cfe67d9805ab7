// Getting image bytes into a dataset. Browser uploads go straight to object storage:
//   requestUpload → presigned PUT to a staging key of its own (staging/<intentId>), never the
//   content-addressed key, so a bad upload cannot pollute the shared namespace;
//   confirmUpload → the staged bytes are checked (size, sha256, decodes within limits), copied to
//   images/<sha256>, thumbnailed, and the Image row is created in one transaction.
// Any rejection removes the staging object and the intent. In-process callers (demo seed,
// importers) use addImageFromBuffer, which applies the same checks and transaction rules.
import { createHash } from "node:crypto";
import type { Image, PrismaClient, UploadIntent } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import { IMAGE_MIME_TYPES, imageKey, inspectImage, type Storage } from "@gridfill/storage";
import {
  validateBox,
  type Box,
  type Origin,
  type ReviewState,
  type Split,
} from "@gridfill/balance";
import type { Actor } from "../context.ts";
import {
  badInput,
  DomainError,
  notFound,
  requireUuid,
  uploadRejected,
  type UploadRejection,
} from "../errors.ts";
import { recordAudit, type Tx } from "../audit/record.ts";
import { addBoxesCounted, insertImageRow } from "./rows.ts";
import type { Logger } from "../log.ts";
import { uuidv7 } from "../ids.ts";
import { lockObjectKeys, removeUnreferencedObjects, THUMBNAIL_SIZE } from "./objects.ts";
import { hasControlCharacters, normaliseTags } from "./tags.ts";
import { nearestTowerId, readExifContext, type ExifContext } from "../iot/exif.ts";

export interface UploadDeps {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  log?: Logger;
}

export const ALLOWED_MIME_TYPES = IMAGE_MIME_TYPES;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The image transaction may put the object back into storage (see insertImage): allow for it. */
const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

export function stagingKey(intentId: string): string {
  return `staging/${intentId}`;
}

/** A file name we can show and offer as a download name: no paths, no control characters. */
export function checkFilename(raw: string): string {
  const name = raw.trim();
  if (
    !name ||
    name.length > 255 ||
    name === "." ||
    name === ".." ||
    /[/\\]/.test(name) ||
    hasControlCharacters(name)
  ) {
    throw badInput(
      `file name "${raw.slice(0, 80)}" must be 1–255 characters without slashes or control characters`,
    );
  }
  return name;
}

export interface UploadRequest {
  filename: string;
  sha256: string;
  bytes: number;
  mimeType: string;
}

export type UploadTicket =
  | { duplicateOf: Image }
  | { uploadId: string; url: string; headers: Record<string, string>; expiresAt: Date };

export async function requestUpload(
  deps: UploadDeps,
  actor: Actor,
  datasetId: string,
  input: UploadRequest,
): Promise<UploadTicket> {
  const { prisma, storage, config } = deps;
  const id = requireUuid(datasetId, "dataset");
  const filename = checkFilename(input.filename);
  const sha256 = input.sha256.trim().toLowerCase();
  if (!SHA256_HEX.test(sha256)) throw badInput("sha256 must be 64 hexadecimal characters");
  if (!Number.isInteger(input.bytes) || input.bytes < 1)
    throw badInput("bytes must be a positive integer");
  if (input.bytes > config.imageLimits.maxBytes) {
    throw badInput(`the file is larger than the ${config.imageLimits.maxBytes}-byte limit`, {
      maxBytes: config.imageLimits.maxBytes,
    });
  }
  const mimeType = input.mimeType.trim().toLowerCase();
  if (!ALLOWED_MIME_TYPES.includes(mimeType)) {
    throw badInput(
      `images must be one of ${ALLOWED_MIME_TYPES.join(", ")}; got "${input.mimeType}"`,
    );
  }
  if (!(await prisma.dataset.findUnique({ where: { id }, select: { id: true } })))
    throw notFound("dataset", datasetId);

  const existing = await prisma.image.findUnique({
    where: { datasetId_sha256: { datasetId: id, sha256 } },
  });
  if (existing) return { duplicateOf: existing };

  const intentId = uuidv7();
  const objectKey = stagingKey(intentId);
  // The signature binds the announced size: the store refuses a body of any other length.
  const presigned = await storage.presignPut("images", objectKey, {
    contentType: mimeType,
    ttl: config.uploadTtlSeconds,
    contentLength: input.bytes,
  });
  const expiresAt = new Date(Date.now() + config.uploadTtlSeconds * 1000);
  await prisma.$transaction(async (tx) => {
    if (actor?.id) await checkUploadQuota(tx, config, actor.id, input.bytes);
    await tx.uploadIntent.create({
      data: {
        id: intentId,
        datasetId: id,
        sha256,
        bytes: input.bytes,
        mimeType,
        filename,
        objectKey,
        createdById: actor?.id ?? null,
        expiresAt,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "image.requestUpload",
      entityType: "UploadIntent",
      entityId: intentId,
      datasetId: id,
      details: { filename, sha256, bytes: input.bytes },
    });
  });
  return {
    uploadId: intentId,
    url: presigned.url,
    headers: presigned.headers,
    // The URL may expire before the intent does (storage caps presign lifetimes).
    expiresAt: presigned.expiresAt < expiresAt ? presigned.expiresAt : expiresAt,
  };
}

/**
 * Refuses a ticket that would take the user past GRIDFILL_UPLOAD_MAX_OPEN open tickets or
 * GRIDFILL_UPLOAD_MAX_OPEN_BYTES announced bytes. Serialised per user (advisory lock), so parallel
 * requests cannot all slip under the limit.
 */
async function checkUploadQuota(tx: Tx, config: Config, userId: string, bytes: number) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`upload-quota:${userId}`}, 0))`;
  const [open] = await tx.$queryRaw<{ count: bigint; bytes: bigint | null }[]>`
    SELECT count(*) AS count, sum(bytes) AS bytes FROM "UploadIntent"
     WHERE "createdById" = ${userId}::uuid AND "confirmedAt" IS NULL AND "expiresAt" > now()`;
  const { maxOpen, maxOpenBytes } = config.uploadQuota;
  const openCount = Number(open?.count ?? 0);
  const openBytes = Number(open?.bytes ?? 0);
  if (openCount + 1 > maxOpen || openBytes + bytes > maxOpenBytes) {
    throw new DomainError(
      "RATE_LIMITED",
      `too many uploads in progress: ${openCount} open tickets announcing ${openBytes} bytes ` +
        `(at most ${maxOpen} tickets and ${maxOpenBytes} bytes); confirm them or wait until they expire`,
      { openUploads: openCount, openBytes, maxOpen, maxOpenBytes },
    );
  }
}

export interface ConfirmResult {
  image: Image;
  duplicate: boolean;
}

/** Removes a refused upload's staging object and intent, so nothing of it remains. */
async function discardIntent(deps: UploadDeps, intent: UploadIntent): Promise<void> {
  await deps.storage
    .remove("images", intent.objectKey)
    .catch((error) =>
      deps.log?.warn("could not remove a staging object", { error, key: intent.objectKey }),
    );
  await deps.prisma.uploadIntent.deleteMany({ where: { id: intent.id, confirmedAt: null } });
}

export async function confirmUpload(
  deps: UploadDeps,
  actor: Actor,
  datasetId: string,
  uploadId: string,
): Promise<ConfirmResult> {
  const { prisma, storage, config } = deps;
  const intent = await prisma.uploadIntent.findUnique({
    where: { id: requireUuid(uploadId, "upload") },
  });
  if (!intent) throw notFound("upload", uploadId);
  // Refused without touching anything: the intent stays usable for the dataset it was made for.
  if (intent.datasetId !== datasetId.toLowerCase()) {
    throw uploadRejected("WRONG_DATASET", "this upload was requested for another dataset");
  }
  if (intent.confirmedAt) {
    const image = await prisma.image.findUnique({
      where: { datasetId_sha256: { datasetId: intent.datasetId, sha256: intent.sha256 } },
    });
    if (image) return { image, duplicate: true };
    throw uploadRejected("ALREADY_CONFIRMED", "this upload was already confirmed");
  }

  const reject = async (reason: UploadRejection, message: string): Promise<never> => {
    await discardIntent(deps, intent);
    throw uploadRejected(reason, message);
  };

  if (intent.expiresAt <= new Date())
    return reject("EXPIRED", "the upload expired; request a new one");
  const stat = await storage.stat("images", intent.objectKey);
  if (!stat) return reject("OBJECT_MISSING", "nothing was uploaded for this upload");
  if (stat.size !== intent.bytes) {
    return reject(
      "SIZE_MISMATCH",
      `the uploaded object has ${stat.size} bytes, ${intent.bytes} were announced`,
    );
  }
  let buffer: Buffer;
  try {
    buffer = await storage.getBuffer("images", intent.objectKey, { maxBytes: intent.bytes });
  } catch {
    // Replaced or removed between the stat and the read.
    return reject("SIZE_MISMATCH", "the uploaded object changed while it was checked");
  }
  const sha256 = createHash("sha256").update(buffer).digest("hex");
  if (sha256 !== intent.sha256)
    return reject("SHA256_MISMATCH", "the uploaded bytes do not match the announced sha256");
  const check = await inspectImage(buffer, config.imageLimits);
  if (!check.ok) return reject(check.code, check.message);

  const exif = await readExifContext(buffer);
  const stored = await storeOriginal(deps, buffer, sha256, check.extension, check.mimeType);
  let result: ConfirmResult;
  try {
    result = await prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ confirmedAt: Date | null }[]>`
        SELECT "confirmedAt" FROM "UploadIntent" WHERE id = ${intent.id}::uuid FOR UPDATE`;
      const inserted = await insertImage(deps, tx, stored, {
        datasetId: intent.datasetId,
        buffer,
        filename: intent.filename,
        width: check.width,
        height: check.height,
        split: "UNASSIGNED",
        origin: "REAL",
        reviewState: "NONE",
        tags: [],
        ...(await placeFromExif(tx, exif, {})),
        createdById: actor?.id ?? null,
      });
      if (locked.length === 0 || locked[0]!.confirmedAt) {
        // A concurrent confirm of this very intent won; report its image.
        return { image: inserted.image, duplicate: true };
      }
      await tx.uploadIntent.update({ where: { id: intent.id }, data: { confirmedAt: new Date() } });
      await recordAudit(tx, {
        actor,
        action: "image.confirmUpload",
        entityType: "Image",
        entityId: inserted.image.id,
        datasetId: intent.datasetId,
        details: {
          uploadId: intent.id,
          sha256,
          filename: intent.filename,
          duplicate: inserted.duplicate,
        },
      });
      return inserted;
    }, TX_OPTIONS);
  } catch (error) {
    await removeUnreferencedObjects(deps, [{ objectKey: stored.objectKey, sha256 }]);
    throw error;
  }
  await storage
    .remove("images", intent.objectKey)
    .catch((error) =>
      deps.log?.warn("could not remove a staging object", { error, key: intent.objectKey }),
    );
  return result;
}

interface StoredOriginal {
  objectKey: string;
  sha256: string;
  mimeType: string;
  bytes: number;
}

/** Writes the content-addressed original (unless present) and its thumbnail. */
async function storeOriginal(
  deps: UploadDeps,
  buffer: Buffer,
  sha256: string,
  extension: string,
  mimeType: string,
): Promise<StoredOriginal> {
  const objectKey = imageKey(sha256, extension);
  if (!(await deps.storage.stat("images", objectKey))) {
    await deps.storage.put("images", objectKey, buffer, { contentType: mimeType });
  }
  try {
    await deps.storage.thumbnail(sha256, objectKey, THUMBNAIL_SIZE);
  } catch (error) {
    // Not fatal: thumbnailUrl renders it on first need.
    deps.log?.warn("could not render a thumbnail", { error, objectKey });
  }
  return { objectKey, sha256, mimeType, bytes: buffer.length };
}

interface NewImage {
  datasetId: string;
  buffer: Buffer;
  filename: string;
  width: number;
  height: number;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  tags: string[];
  capturedAt: Date | null;
  latitude: number | null;
  longitude: number | null;
  towerId: string | null;
  createdById: string | null;
}

/**
 * Capture time and position: what the caller gave wins, EXIF fills the rest; a position (given or
 * from EXIF) puts the image on the nearest tower unless the caller named one.
 */
async function placeFromExif(
  tx: Tx,
  exif: ExifContext,
  given: {
    capturedAt?: Date | null;
    latitude?: number | null;
    longitude?: number | null;
    towerId?: string | null;
  },
): Promise<Pick<NewImage, "capturedAt" | "latitude" | "longitude" | "towerId">> {
  const capturedAt = given.capturedAt !== undefined ? given.capturedAt : (exif.capturedAt ?? null);
  const hasGiven = given.latitude != null && given.longitude != null;
  const latitude = hasGiven ? given.latitude! : (exif.latitude ?? null);
  const longitude = hasGiven ? given.longitude! : (exif.longitude ?? null);
  if (
    given.towerId &&
    !(await tx.tower.findUnique({ where: { id: given.towerId }, select: { id: true } }))
  ) {
    throw notFound("tower", given.towerId);
  }
  const towerId =
    given.towerId !== undefined
      ? given.towerId
      : latitude !== null && longitude !== null
        ? await nearestTowerId(tx, latitude, longitude)
        : null;
  return { capturedAt, latitude, longitude, towerId };
}

/**
 * Inserts the Image row unless the dataset already has these bytes (then returns that one as a
 * duplicate). Holds the object key's lock and puts the object back if a concurrent delete removed
 * it after storeOriginal.
 */
async function insertImage(
  deps: UploadDeps,
  tx: Tx,
  stored: StoredOriginal,
  image: NewImage,
): Promise<ConfirmResult> {
  await lockObjectKeys(tx, [stored.objectKey]);
  if (!(await deps.storage.stat("images", stored.objectKey))) {
    await deps.storage.put("images", stored.objectKey, image.buffer, {
      contentType: stored.mimeType,
    });
  }
  const inserted = await insertImageRow(tx, { id: uuidv7(), ...image, ...stored });
  const duplicate = !inserted;
  const row = await tx.image.findUnique({
    where: { datasetId_sha256: { datasetId: image.datasetId, sha256: stored.sha256 } },
  });
  if (!row) throw new Error("image row vanished inside its own transaction");
  return { image: row, duplicate };
}

export interface BufferAnnotation {
  classId?: string;
  className?: string;
  box: Box;
}

export interface AddImageInput {
  datasetId: string;
  buffer: Buffer;
  filename: string;
  split?: Split;
  tags?: string[];
  /** Left out: taken from the image's EXIF where it has one. */
  capturedAt?: Date | null;
  /** Left out: taken from the image's EXIF GPS position where it has one. */
  latitude?: number | null;
  longitude?: number | null;
  /** Left out: the tower nearest the position (within GRIDFILL_TOWER_MATCH_KM, default 5 km). */
  towerId?: string | null;
  origin?: Origin;
  /** Defaults to NONE for real images and PENDING for synthetic ones. */
  reviewState?: ReviewState;
  annotations?: BufferAnnotation[];
  annotationSource?: "HUMAN" | "IMPORTED" | "GENERATED";
  actor: Actor;
}

/**
 * Adds an image from bytes already in memory (seeding, importers, fills), with its boxes, under the
 * same checks as an upload. A file the dataset already holds is returned as a duplicate, and its
 * boxes are not added again.
 */
export async function addImageFromBuffer(
  deps: UploadDeps,
  input: AddImageInput,
): Promise<ConfirmResult> {
  const { prisma, config } = deps;
  const datasetId = requireUuid(input.datasetId, "dataset");
  const filename = checkFilename(input.filename);
  const tags = normaliseTags(input.tags ?? []);
  const origin = input.origin ?? "REAL";
  const reviewState = input.reviewState ?? (origin === "REAL" ? "NONE" : "PENDING");
  if (origin === "REAL" && reviewState !== "NONE")
    throw badInput("real images have no review state");
  if (origin === "SYNTHETIC" && reviewState === "NONE")
    throw badInput("synthetic images need a review state");
  if (input.buffer.length > config.imageLimits.maxBytes)
    throw uploadRejected(
      "TOO_MANY_BYTES",
      `the file is larger than the ${config.imageLimits.maxBytes}-byte limit`,
    );
  const check = await inspectImage(input.buffer, config.imageLimits);
  if (!check.ok) throw uploadRejected(check.code, check.message);
  if ((input.latitude == null) !== (input.longitude == null))
    throw badInput("give latitude and longitude together");
  if (input.latitude != null && (!Number.isFinite(input.latitude) || Math.abs(input.latitude) > 90))
    throw badInput("latitude must be between -90 and 90");
  if (
    input.longitude != null &&
    (!Number.isFinite(input.longitude) || Math.abs(input.longitude) > 180)
  )
    throw badInput("longitude must be between -180 and 180");
  const towerId = input.towerId != null ? requireUuid(input.towerId, "tower") : input.towerId;
  const exif = await readExifContext(input.buffer);

  const classes = await prisma.defectClass.findMany({
    where: { datasetId },
    select: { id: true, name: true },
  });
  if (
    classes.length === 0 &&
    !(await prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } }))
  ) {
    throw notFound("dataset", input.datasetId);
  }
  const byName = new Map(classes.map((c) => [c.name, c.id]));
  const ids = new Set(classes.map((c) => c.id));
  const boxes = (input.annotations ?? []).map((a, index) => {
    const classId = a.classId
      ? ids.has(a.classId)
        ? a.classId
        : undefined
      : a.className
        ? byName.get(a.className)
        : undefined;
    if (!classId)
      throw badInput(
        `annotation ${index}: class ${a.classId ?? a.className ?? "(none)"} is not in this dataset`,
        { reason: "UNKNOWN_CLASS", index },
      );
    const valid = validateBox(a.box, { width: check.width, height: check.height });
    if (!valid.ok)
      throw badInput(`annotation ${index}: ${valid.message}`, {
        reason: "INVALID_BOX",
        boxError: valid.code,
        index,
      });
    return { classId, box: valid.box };
  });

  const sha256 = createHash("sha256").update(input.buffer).digest("hex");
  const stored = await storeOriginal(deps, input.buffer, sha256, check.extension, check.mimeType);
  try {
    return await prisma.$transaction(async (tx) => {
      const inserted = await insertImage(deps, tx, stored, {
        datasetId,
        buffer: input.buffer,
        filename,
        width: check.width,
        height: check.height,
        split: input.split ?? "UNASSIGNED",
        origin,
        reviewState,
        tags,
        ...(await placeFromExif(tx, exif, {
          capturedAt: input.capturedAt,
          latitude: input.latitude,
          longitude: input.longitude,
          towerId,
        })),
        createdById: input.actor?.id ?? null,
      });
      if (inserted.duplicate) return inserted;
      const image = inserted.image;
      await addBoxesCounted(
        tx,
        {
          id: image.id,
          datasetId,
          split: image.split,
          origin: image.origin,
          reviewState: image.reviewState,
        },
        boxes,
        input.annotationSource ?? "IMPORTED",
        input.actor?.id ?? null,
      );
      await recordAudit(tx, {
        actor: input.actor,
        action: "image.add",
        entityType: "Image",
        entityId: image.id,
        datasetId,
        details: { sha256, filename, annotations: boxes.length },
      });
      return inserted;
    }, TX_OPTIONS);
  } catch (error) {
    await removeUnreferencedObjects(deps, [{ objectKey: stored.objectKey, sha256 }]);
    throw error;
  }
}

/**
 * Removes intents that expired unconfirmed, with their staging objects, then every staging object
 * past a ticket's lifetime (sweepStaleStaging). Returns the number of intents removed.
 */
export async function sweepExpiredUploads(deps: UploadDeps, now = new Date()): Promise<number> {
  const expired = await deps.prisma.uploadIntent.findMany({
    where: { confirmedAt: null, expiresAt: { lt: now } },
    take: 1000,
    orderBy: { expiresAt: "asc" },
  });
  let count = 0;
  if (expired.length) {
    await deps.storage.removeMany(
      "images",
      expired.map((i) => i.objectKey),
    );
    ({ count } = await deps.prisma.uploadIntent.deleteMany({
      where: { id: { in: expired.map((i) => i.id) }, confirmedAt: null },
    }));
  }
  await sweepStaleStaging(deps, now);
  return count;
}

/**
 * Removes staging objects older than an upload ticket's lifetime, whatever their intent's state:
 * such an object was written while its ticket was valid (c ≤ written ≤ c + ttl), so its intent
 * has expired by now, and a confirmed intent never reads its staging key again. This also catches
 * bytes PUT to a ticket after it was confirmed.
 */
export async function sweepStaleStaging(deps: UploadDeps, now = new Date()): Promise<number> {
  const cutoff = now.getTime() - deps.config.uploadTtlSeconds * 1000;
  const stale: string[] = [];
  for await (const object of deps.storage.listObjects("images", "staging/")) {
    if (object.lastModified.getTime() < cutoff) stale.push(object.key);
  }
  if (stale.length) await deps.storage.removeMany("images", stale);
  return stale.length;
}
