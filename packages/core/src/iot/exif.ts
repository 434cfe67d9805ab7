// Where and when a photo was taken, from its EXIF block, and the tower nearest that spot. Used when
// an image enters a dataset (confirmUpload, addImageFromBuffer), so its telemetry context can be
// found without anyone linking it by hand.
import exifr from "exifr";
import type { Tx } from "../audit/record.ts";

export interface ExifContext {
  capturedAt?: Date;
  latitude?: number;
  longitude?: number;
}

/** Images farther than this from every tower get no tower; `GRIDFILL_TOWER_MATCH_KM` overrides it. */
export const DEFAULT_TOWER_MATCH_KM = 5;

export function towerMatchKm(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRIDFILL_TOWER_MATCH_KM;
  if (raw === undefined || raw === "") return DEFAULT_TOWER_MATCH_KM;
  const km = Number(raw);
  if (!Number.isFinite(km) || km < 0)
    throw new Error(
      `GRIDFILL_TOWER_MATCH_KM must be a non-negative number of kilometres, not "${raw}"`,
    );
  return km;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * "2026:03:01 10:05:00" with the optional OffsetTimeOriginal ("+02:00"). EXIF dates carry no zone
 * of their own; without an offset tag the time is taken as UTC (never the server's zone).
 */
export function parseExifDate(raw: unknown, offset: unknown): Date | undefined {
  if (typeof raw !== "string") return undefined;
  const m = EXIF_DATE.exec(raw.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s, m[7] ? Number(m[7].padEnd(3, "0")) : 0));
  // Refuses 2026:02:31 and the like (and the all-zero "unknown" date) rather than rolling over.
  if (
    y < 1900 ||
    local.getUTCMonth() !== mo - 1 ||
    local.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  )
    return undefined;
  const o = typeof offset === "string" ? OFFSET.exec(offset.trim()) : null;
  const shift = o ? (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) * 60_000 : 0;
  return new Date(local.getTime() - shift);
}

/** Capture time and GPS position from the image's EXIF; empty when it has none (or it is unreadable). */
export async function readExifContext(buffer: Buffer): Promise<ExifContext> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(buffer, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      reviveValues: false,
      pick: [
        "DateTimeOriginal",
        "OffsetTimeOriginal",
        "CreateDate",
        "OffsetTimeDigitized",
        "GPSLatitude",
        "GPSLatitudeRef",
        "GPSLongitude",
        "GPSLongitudeRef",
      ],
    })) as Record<string, unknown> | undefined;
  } catch {
    return {}; // a damaged EXIF block does not make the image unusable
  }
  if (!tags) return {};
  const result: ExifContext = {};
  const capturedAt =
    parseExifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ??
    parseExifDate(tags.CreateDate, tags.OffsetTimeDigitized);
  if (capturedAt) result.capturedAt = capturedAt;
  const latitude = toDegrees(tags.GPSLatitude, tags.GPSLatitudeRef, "S");
  const longitude = toDegrees(tags.GPSLongitude, tags.GPSLongitudeRef, "W");
  if (
    latitude !== undefined &&
    longitude !== undefined &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180
  ) {
    result.latitude = latitude;
    result.longitude = longitude;
  }
  return result;
}

function toDegrees(dms: unknown, ref: unknown, negative: string): number | undefined {
  if (
    !Array.isArray(dms) ||
    dms.length === 0 ||
    !dms.every((v) => typeof v === "number" && Number.isFinite(v))
  )
    return undefined;
  const [d = 0, m = 0, s = 0] = dms as number[];
  const value = d + m / 60 + s / 3600;
  return typeof ref === "string" && ref.trim().toUpperCase() === negative ? -value : value;
}

/** The nearest tower within `maxKm` (great-circle distance, haversine), or null. */
export async function nearestTowerId(
  tx: Tx,
  latitude: number,
  longitude: number,
  maxKm = towerMatchKm(),
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM (
      SELECT id, 2 * 6371.0088 * asin(sqrt(
               power(sin(radians(latitude - ${latitude}) / 2), 2)
               + cos(radians(${latitude})) * cos(radians(latitude)) * power(sin(radians(longitude - ${longitude}) / 2), 2))) AS km
        FROM "Tower") t
     WHERE km <= ${maxKm}
     ORDER BY km, id
     LIMIT 1`;
  return rows[0]?.id ?? null;
}
