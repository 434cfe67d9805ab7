/**
 * An S3-compatible server on local disk (s3rver), for development, single-machine installs and
 * tests. Production points `S3_ENDPOINT` at MinIO instead; the same client code talks to both.
 *
 * On top of s3rver this adds what the app relies on and s3rver lacks:
 *  - real SigV4 signature checks (s3rver accepts any signature) and no anonymous access;
 *  - CORS for every bucket, allowing browser uploads from any localhost origin (the console
 *    PUTs files straight to presigned URLs);
 *  - an (always empty) ListMultipartUploads: the MinIO client lists a key's unfinished uploads
 *    before every multipart upload (any object over 64 MiB, e.g. a large export), and s3rver
 *    answers that listing NotImplemented although it implements the upload itself.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import AWSAccount from "s3rver/lib/models/account.js";
import { verifySigV4 } from "./sigv4.ts";

export interface EmbeddedS3Options {
  /** Data directory; objects persist there across restarts. */
  directory: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Default: random keys made for this directory on its first start, kept in it (mode 0600). */
  accessKey?: string;
  secretKey?: string;
  /** Extra exact browser origins allowed by CORS, besides any http(s)://localhost|127.0.0.1|[::1] origin. */
  corsOrigins?: string[];
}

export interface EmbeddedS3 {
  /** e.g. `http://127.0.0.1:41234`, suitable for S3_ENDPOINT. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** Where a data directory keeps its own keys. A file, so s3rver never lists it as a bucket. */
export const KEYS_FILE = ".s3-keys.json";

/**
 * The data directory's keys: read from KEYS_FILE, or made at random on first use and written there
 * readable by the owner only. Keys fixed in the source would let anyone who read it into every
 * bucket.
 */
export async function directoryKeys(
  directory: string,
): Promise<{ accessKey: string; secretKey: string }> {
  const file = path.join(directory, KEYS_FILE);
  const made = {
    accessKey: `gridfill-${randomBytes(8).toString("hex")}`,
    secretKey: randomBytes(32).toString("base64url"),
  };
  try {
    // wx: of two processes starting on one directory, the first one's keys win.
    await writeFile(file, JSON.stringify(made), { mode: 0o600, flag: "wx" });
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await chmod(file, 0o600);
  const keys = JSON.parse(await readFile(file, "utf8")) as Partial<typeof made>;
  if (!keys.accessKey || !keys.secretKey) throw new Error(`${file} holds no accessKey / secretKey`);
  return { accessKey: keys.accessKey, secretKey: keys.secretKey };
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `<Resource>${xmlEscape(resource)}</Resource><RequestId>0</RequestId></Error>`;
  res.writeHead(status, {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** `GET /<bucket>?uploads[&prefix=…]`: ListMultipartUploads. */
function isListMultipartUploads(url: string): boolean {
  const parsed = new URL(url, "http://s3.local");
  return (
    parsed.pathname.split("/").filter(Boolean).length === 1 && parsed.searchParams.has("uploads")
  );
}

/**
 * Unfinished multipart uploads are never resumed here: the client then starts each upload afresh.
 * The parts of an abandoned one stay in s3rver's uploads folder of the bucket, which no listing
 * shows.
 */
function sendNoMultipartUploads(res: ServerResponse, resource: string): void {
  const bucket = xmlEscape(resource.split("/").filter(Boolean)[0] ?? "");
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Bucket>${bucket}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
    `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`;
  res.writeHead(200, {
    "Content-Type": "application/xml",
    "Content-Length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * s3rver prunes empty folders after each delete. That races with a PUT into the same folder (the
 * PUT's mkdir succeeds, the prune removes the folder, the write fails with ENOENT on a stream that
 * has no error listener, and the whole process dies), and with sibling deletes (HTTP 500). Deletes
 * here remove the object's files and leave folders in place: an empty folder lists as nothing.
 */
function patchDeleteRace(s3rver: S3rver): void {
  const store = s3rver.store;
  store.deleteObject = async (bucket: string, key: string) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        unlink(store.getResourcePath(bucket, key, resource)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
        }),
      ),
    );
  };
}

/**
 * s3rver writes objects 0644 in folders 0755. Objects are the users' data: after each write, its
 * files become 0600 and the folders up to the bucket 0700 (the data directory is 0700 already).
 */
function patchFileModes(s3rver: S3rver, root: string): void {
  const store = s3rver.store;
  const quiet = (error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  };
  const restrict = async (bucket: string, key: string) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        chmod(store.getResourcePath(bucket, key, resource), 0o600).catch(quiet),
      ),
    );
    for (
      let dir = path.dirname(store.getResourcePath(bucket, key, "object"));
      dir.startsWith(root + path.sep);
      dir = path.dirname(dir)
    )
      await chmod(dir, 0o700).catch(quiet);
  };
  const after =
    <A extends unknown[], R>(
      write: (...args: A) => Promise<R>,
      target: (...args: A) => [string, string],
    ) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      await restrict(...target(...args));
      return result;
    };
  store.putObject = after(
    store.putObject.bind(store),
    (object: { bucket: string; key: string }) => [object.bucket, object.key],
  );
  store.copyObject = after(
    store.copyObject.bind(store),
    (_srcBucket: string, _srcKey: string, destBucket: string, destKey: string) => [
      destBucket,
      destKey,
    ],
  );
  store.putMetadata = after(store.putMetadata.bind(store), (bucket: string, key: string) => [
    bucket,
    key,
  ]);
  const putBucket = store.putBucket.bind(store);
  store.putBucket = async (bucket: string) => {
    const result = await putBucket(bucket);
    await chmod(store.getBucketPath(bucket), 0o700);
    return result;
  };
}

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  if (options.accessKey === "" || options.secretKey === "")
    throw new Error("startEmbeddedS3: accessKey and secretKey must be non-empty");
  if ((options.accessKey === undefined) !== (options.secretKey === undefined))
    throw new Error("startEmbeddedS3: give accessKey and secretKey together, or neither");
  const extraOrigins = new Set(options.corsOrigins ?? []);
  const originAllowed = (origin: string) => LOCAL_ORIGIN.test(origin) || extraOrigins.has(origin);

  // Owner only: objects, metadata and keys are nobody else's to read on a shared machine.
  await mkdir(options.directory, { recursive: true, mode: 0o700 });
  await chmod(options.directory, 0o700);
  const { accessKey, secretKey } =
    options.accessKey && options.secretKey
      ? { accessKey: options.accessKey, secretKey: options.secretKey }
      : await directoryKeys(options.directory);
  // s3rver looks keys up in a process-wide registry; our own check below pins this instance to
  // exactly this key pair, so other registered keys (e.g. s3rver's built-in S3RVER) are refused.
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);
  const s3rver = new S3rver({
    directory: options.directory,
    silent: true,
    resetOnClose: false,
    vhostBuckets: false,
    // Our own verifier has already checked the signature when s3rver sees the request.
    allowMismatchedSignatures: true,
  });
  patchDeleteRace(s3rver);
  patchFileModes(s3rver, path.resolve(options.directory));
  const s3Handler = s3rver.callback();

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const resource = (req.url ?? "/").split("?")[0] ?? "/";

    if (req.method === "OPTIONS") {
      // CORS preflight: answered here for every bucket, no signature involved.
      if (!origin || !req.headers["access-control-request-method"] || !originAllowed(origin)) {
        return sendError(res, 403, "CORSResponse", "This CORS request is not allowed.", resource);
      }
      res.writeHead(200, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, HEAD, PUT",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "",
        "Access-Control-Max-Age": "600",
        Vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
        "Content-Length": "0",
      });
      return res.end();
    }

    if (origin && originAllowed(origin)) {
      // Add CORS headers at write time: s3rver clears headers when it renders an error.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((...args: unknown[]) => {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Expose-Headers", "ETag, Content-Length, Content-Type");
        res.setHeader("Vary", "Origin");
        return writeHead(...args);
      }) as typeof res.writeHead;
    }

    const verdict = verifySigV4(req, { accessKey, secretKey });
    if (!verdict.ok) {
      req.resume();
      return sendError(res, verdict.status, verdict.code, verdict.message, resource);
    }
    if (req.method === "GET" && isListMultipartUploads(req.url ?? "/")) {
      return sendNoMultipartUploads(res, resource);
    }
    s3Handler(req, res);
  };

  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey,
    secretKey,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((err) => {
          s3rver.logger.exceptions.unhandle();
          s3rver.logger.close();
          if (err) reject(err);
          else resolve();
        });
        // Clients keep connections alive; drop them so close() completes promptly.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
