/**
 * The single gateway for object I/O in gridfill. Every other package reads and writes images,
 * models and exports through a `Storage` instance, so bucket names, key layout, presign lifetimes
 * and size limits are decided in one place.
 *
 * Key layout (inside the images bucket):
 *   images/<aa>/<bb>/<sha256>.<ext>              original upload, content-addressed
 *   thumbnails/<size>/<aa>/<bb>/<sha256>.webp    derived thumbnail, longest side <= size
 * where <aa> and <bb> are the first two byte pairs of the lowercase hex SHA-256. The fan-out keeps
 * directories small on file-backed stores (MinIO and the embedded server map keys to folders).
 */
import { createHash } from "node:crypto";
import { presignV4 } from "./sigv4.ts";
import { Readable } from "node:stream";
import * as Minio from "minio";
import sharp from "sharp";
import { MAX_PRESIGN_TTL_SECONDS, type StorageConfig } from "./config.ts";

export type BucketId = "images" | "models" | "exports";
export const BUCKET_IDS: readonly BucketId[] = ["images", "models", "exports"];

export interface ObjectStat {
  size: number;
  etag: string;
  contentType: string;
  lastModified: Date;
}

export interface PresignedRequest {
  url: string;
  method: "GET" | "PUT";
  /** Headers the client must send with the request. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface ThumbnailResult {
  bucket: "images";
  key: string;
  contentType: string;
  /** true when this call rendered and stored it; false when it was already cached. */
  generated: boolean;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly bucket: BucketId,
    readonly key: string,
  ) {
    super(`Object not found: ${bucket}/${key}`);
    this.name = "ObjectNotFoundError";
  }
}

export class ObjectTooLargeError extends Error {
  constructor(
    readonly bucket: BucketId,
    readonly key: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`Object ${bucket}/${key} is larger than the allowed ${maxBytes} bytes`);
    this.name = "ObjectTooLargeError";
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Conservative key alphabet: safe in URLs, paths and every S3 implementation we target.
const SAFE_KEY = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const THUMBNAIL_FORMAT = { ext: "webp", contentType: "image/webp" } as const;
export const THUMBNAIL_SIZES = { min: 16, max: 2048 } as const;
/** Streams up to this size are buffered and sent in one PUT (the embedded server has no multipart). */
const SINGLE_PUT_BYTES = 64 * 1024 * 1024;

export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256))
    throw new TypeError(`Expected a lowercase hex SHA-256, got "${sha256}"`);
}

export function assertKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    !SAFE_KEY.test(key) ||
    key.split("/").some((s) => s === "." || s === "..")
  ) {
    throw new TypeError(
      `Invalid object key "${key}" (allowed: letters, digits, / ! _ . * ' ( ) -)`,
    );
  }
}

/** `images/ab/cd/<sha256>.<ext>`: the original image, addressed by the SHA-256 of its bytes. */
export function imageKey(sha256: string, ext: string): string {
  assertSha256(sha256);
  const e = ext.replace(/^\./, "").toLowerCase();
  if (!/^[a-z0-9]{1,8}$/.test(e)) throw new TypeError(`Invalid file extension "${ext}"`);
  return `images/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.${e}`;
}

/** `thumbnails/<size>/ab/cd/<sha256>.webp`: thumbnail whose longest side is at most `size` px. */
export function thumbnailKey(sha256: string, size: number): string {
  assertSha256(sha256);
  if (!Number.isInteger(size) || size < THUMBNAIL_SIZES.min || size > THUMBNAIL_SIZES.max) {
    throw new RangeError(
      `Thumbnail size must be an integer in [${THUMBNAIL_SIZES.min}, ${THUMBNAIL_SIZES.max}]`,
    );
  }
  return `thumbnails/${size}/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.${THUMBNAIL_FORMAT.ext}`;
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "NotFound" || code === "NoSuchKey" || code === "NoSuchBucket";
}

/** ASCII fallback plus RFC 5987 UTF-8 form, so browsers save the file under the given name. */
function contentDisposition(filename: string): string {
  const clean =
    [...filename]
      .map((c) => (c.charCodeAt(0) < 0x20 || c === "\x7f" || c === "/" || c === "\\" ? "_" : c))
      .join("")
      .slice(0, 200) || "download";
  const ascii = clean.replace(/[^\x20-\x7e]/g, "_").replace(/["%]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export interface StorageOptions {
  /** Largest source image the thumbnailer will read (default 100 MiB). */
  maxThumbnailSourceBytes?: number;
  /** Largest source image, in pixels, the thumbnailer will decode (default 100 megapixels). */
  maxThumbnailSourcePixels?: number;
}

export class Storage {
  readonly config: StorageConfig;
  readonly client: Minio.Client;
  private readonly presigner: Minio.Client;
  private readonly bucketNames: Record<BucketId, string>;
  private readonly inflightThumbnails = new Map<string, Promise<ThumbnailResult>>();
  private readonly maxThumbnailSourceBytes: number;
  private readonly maxThumbnailSourcePixels: number;

  constructor(config: StorageConfig, options: StorageOptions = {}) {
    this.config = config;
    const clientFor = (endPoint: string) => {
      const url = new URL(endPoint);
      const useSSL = url.protocol === "https:";
      return new Minio.Client({
        endPoint: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port ? Number(url.port) : useSSL ? 443 : 80,
        useSSL,
        accessKey: config.accessKey,
        secretKey: config.secretKey,
        // A fixed region avoids a GetBucketLocation round trip before every presign.
        region: config.region,
        pathStyle: true,
      });
    };
    this.client = clientFor(config.endPoint);
    // Presigning is local computation; only the signed host differs when browsers see another one.
    this.presigner =
      (config.publicEndPoint ?? config.endPoint) === config.endPoint
        ? this.client
        : clientFor(config.publicEndPoint);
    this.bucketNames = {
      images: config.bucketImages,
      models: config.bucketModels,
      exports: config.bucketExports,
    };
    this.maxThumbnailSourceBytes = options.maxThumbnailSourceBytes ?? 100 * 1024 * 1024;
    this.maxThumbnailSourcePixels = options.maxThumbnailSourcePixels ?? 100_000_000;
  }

  /** The real bucket name behind a bucket id (for logs and diagnostics). */
  bucketName(bucket: BucketId): string {
    const name = this.bucketNames[bucket];
    if (!name)
      throw new TypeError(`Unknown bucket "${bucket}" (expected one of ${BUCKET_IDS.join(", ")})`);
    return name;
  }

  /** Creates the three buckets if missing. Safe to call repeatedly and concurrently. */
  async ensureBuckets(): Promise<void> {
    for (const id of BUCKET_IDS) {
      const name = this.bucketName(id);
      if (await this.client.bucketExists(name)) continue;
      try {
        await this.client.makeBucket(name, this.config.region);
      } catch (err) {
        // Lost a race with another process creating it: fine.
        const code = (err as { code?: string }).code;
        if (code !== "BucketAlreadyOwnedByYou" && code !== "BucketAlreadyExists") throw err;
      }
    }
  }

  /** Clamps a requested TTL to [1, configured TTL]; presigned URLs are bearer tokens. */
  private ttl(requested: number | undefined): number {
    const max = Math.min(this.config.presignTtlSeconds, MAX_PRESIGN_TTL_SECONDS);
    if (requested === undefined || !Number.isFinite(requested)) return max;
    return Math.max(1, Math.min(Math.floor(requested), max));
  }

  /**
   * A short-lived URL the browser can PUT the object to. The signature covers method, bucket and
   * key, and with `contentLength` the exact size too: the store refuses a body of any other
   * length, so a ticket for 137 bytes cannot carry 80 MiB. The content type and the bytes are not
   * enforced, so verify the object (stat, hash, inspectImage) after the upload before trusting it.
   */
  async presignPut(
    bucket: BucketId,
    key: string,
    opts: { contentType: string; ttl?: number; contentLength?: number },
  ): Promise<PresignedRequest> {
    assertKey(key);
    const ttl = this.ttl(opts.ttl);
    let url: string;
    if (opts.contentLength === undefined) {
      url = await this.presigner.presignedPutObject(this.bucketName(bucket), key, ttl);
    } else {
      if (!Number.isSafeInteger(opts.contentLength) || opts.contentLength < 0)
        throw new RangeError(
          `contentLength must be a whole number of bytes, got ${opts.contentLength}`,
        );
      const endpoint = new URL(this.config.publicEndPoint ?? this.config.endPoint);
      url = presignV4({
        method: "PUT",
        url: new URL(`${endpoint.origin}/${this.bucketName(bucket)}/${key}`),
        accessKey: this.config.accessKey,
        secretKey: this.config.secretKey,
        region: this.config.region,
        expiresSeconds: ttl,
        headers: { "content-length": String(opts.contentLength) },
      });
    }
    return {
      url,
      method: "PUT",
      headers: { "Content-Type": opts.contentType },
      expiresAt: new Date(Date.now() + ttl * 1000),
    };
  }

  /** A short-lived download URL; with `filename` the browser saves it as an attachment. */
  async presignGet(
    bucket: BucketId,
    key: string,
    opts: { ttl?: number; filename?: string } = {},
  ): Promise<PresignedRequest> {
    assertKey(key);
    const ttl = this.ttl(opts.ttl);
    const respHeaders: Record<string, string> = opts.filename
      ? { "response-content-disposition": contentDisposition(opts.filename) }
      : {};
    const url = await this.presigner.presignedGetObject(
      this.bucketName(bucket),
      key,
      ttl,
      respHeaders,
    );
    return { url, method: "GET", headers: {}, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** Size, ETag and content type, or null if the object does not exist. */
  async stat(bucket: BucketId, key: string): Promise<ObjectStat | null> {
    assertKey(key);
    try {
      const s = await this.client.statObject(this.bucketName(bucket), key);
      const meta = s.metaData as Record<string, string | undefined>;
      return {
        size: s.size,
        etag: s.etag,
        contentType: meta["content-type"] ?? "application/octet-stream",
        lastModified: s.lastModified,
      };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Streams the object. Throws ObjectNotFoundError if absent. */
  async getStream(bucket: BucketId, key: string): Promise<Readable> {
    assertKey(key);
    try {
      return await this.client.getObject(this.bucketName(bucket), key);
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(bucket, key);
      throw err;
    }
  }

  /** Reads the whole object into memory, refusing objects larger than `maxBytes`. */
  async getBuffer(bucket: BucketId, key: string, opts: { maxBytes: number }): Promise<Buffer> {
    const s = await this.stat(bucket, key);
    if (!s) throw new ObjectNotFoundError(bucket, key);
    if (s.size > opts.maxBytes) throw new ObjectTooLargeError(bucket, key, s.size, opts.maxBytes);
    const stream = await this.getStream(bucket, key);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // The object may have been replaced between stat and read.
      if (total > opts.maxBytes) {
        stream.destroy();
        throw new ObjectTooLargeError(bucket, key, total, opts.maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  }

  /**
   * Stores an object. For streams, pass `size` when known; streams of unknown size up to 64 MiB
   * are buffered and sent in one request, larger ones go through multipart upload (MinIO only).
   */
  async put(
    bucket: BucketId,
    key: string,
    body: Buffer | Uint8Array | Readable,
    opts: { contentType: string; size?: number },
  ): Promise<{ etag: string }> {
    assertKey(key);
    const name = this.bucketName(bucket);
    const meta = { "Content-Type": opts.contentType };
    if (!(body instanceof Readable)) {
      const buf = Buffer.isBuffer(body)
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const r = await this.client.putObject(name, key, buf, buf.length, meta);
      return { etag: r.etag };
    }
    if (opts.size !== undefined) {
      const r = await this.client.putObject(name, key, body, opts.size, meta);
      return { etag: r.etag };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const it = (body as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    while (true) {
      const { value, done } = await it.next();
      if (done) {
        const buf = Buffer.concat(chunks, total);
        const r = await this.client.putObject(name, key, buf, buf.length, meta);
        return { etag: r.etag };
      }
      const chunk = typeof value === "string" ? Buffer.from(value) : value;
      chunks.push(chunk);
      total += chunk.length;
      if (total > SINGLE_PUT_BYTES) {
        const rest = Readable.from(
          (async function* () {
            yield* chunks;
            while (true) {
              const n = await it.next();
              if (n.done) return;
              yield n.value;
            }
          })(),
        );
        const r = await this.client.putObject(name, key, rest, undefined, meta);
        return { etag: r.etag };
      }
    }
  }

  /** Deletes an object; deleting a missing object is not an error. */
  async remove(bucket: BucketId, key: string): Promise<void> {
    assertKey(key);
    try {
      await this.client.removeObject(this.bucketName(bucket), key);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Deletes many objects (missing ones are ignored), in batches of 1000. */
  async removeMany(bucket: BucketId, keys: Iterable<string>): Promise<void> {
    const all = [...keys];
    all.forEach(assertKey);
    const name = this.bucketName(bucket);
    for (let i = 0; i < all.length; i += 1000) {
      const errors = await this.client.removeObjects(name, all.slice(i, i + 1000));
      const real = errors.filter((e) => (e as { Code?: string }).Code !== "NoSuchKey");
      if (real.length)
        throw new Error(
          `Failed to delete ${real.length} object(s) from ${name}: ${JSON.stringify(real.slice(0, 3))}`,
        );
    }
  }

  /** Lowercase hex SHA-256 of the stored bytes, computed while streaming. */
  async sha256Of(bucket: BucketId, key: string): Promise<string> {
    const stream = await this.getStream(bucket, key);
    const hash = createHash("sha256");
    for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest("hex");
  }

  /** All keys under `prefix` (recursive), in lexicographic order, fetched page by page. */
  async *listKeys(bucket: BucketId, prefix = ""): AsyncGenerator<string> {
    const stream = this.client.listObjectsV2(this.bucketName(bucket), prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string }>) {
      if (item.name) yield item.name;
    }
  }

  /** Keys under `prefix` with their last write time, for sweeping by age. */
  async *listObjects(
    bucket: BucketId,
    prefix = "",
  ): AsyncGenerator<{ key: string; lastModified: Date }> {
    const stream = this.client.listObjectsV2(this.bucketName(bucket), prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string; lastModified?: Date }>) {
      if (item.name && item.lastModified) yield { key: item.name, lastModified: item.lastModified };
    }
  }

  /**
   * Returns the WebP thumbnail (longest side <= size) of the image at `sourceKey` in the images
   * bucket, rendering and storing it on first use. Thumbnails are keyed by the image's SHA-256,
   * so they never go stale; concurrent requests for the same one share a single render.
   */
  thumbnail(sha256: string, sourceKey: string, size = 256): Promise<ThumbnailResult> {
    const key = thumbnailKey(sha256, size);
    assertKey(sourceKey);
    const existing = this.inflightThumbnails.get(key);
    if (existing) return existing;
    const job = this.renderThumbnail(key, sourceKey, size).finally(() =>
      this.inflightThumbnails.delete(key),
    );
    this.inflightThumbnails.set(key, job);
    return job;
  }

  private async renderThumbnail(
    key: string,
    sourceKey: string,
    size: number,
  ): Promise<ThumbnailResult> {
    const result = { bucket: "images" as const, key, contentType: THUMBNAIL_FORMAT.contentType };
    if (await this.stat("images", key)) return { ...result, generated: false };
    const source = await this.getBuffer("images", sourceKey, {
      maxBytes: this.maxThumbnailSourceBytes,
    });
    const thumb = await sharp(source, { limitInputPixels: this.maxThumbnailSourcePixels })
      .rotate() // apply EXIF orientation so thumbnails look like the browser's rendering
      .resize(size, size, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    await this.put("images", key, thumb, { contentType: THUMBNAIL_FORMAT.contentType });
    return { ...result, generated: true };
  }
}
