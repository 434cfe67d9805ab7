/**
 * A batch of files going to storage: hash → request a presigned PUT → send the bytes → confirm.
 * Plain TypeScript with its side effects passed in, so the console drives it and tests fake it.
 */

export type UploadState =
  "queued" | "hashing" | "uploading" | "verifying" | "done" | "duplicate" | "error";

export interface UploadItem {
  key: string;
  file: File;
  state: UploadState;
  /** Bytes sent so far as a fraction of the file, while uploading. */
  sent: number;
  message: string | null;
  imageId: string | null;
}

export interface UploadTicketLike {
  uploadId: string | null;
  url: string | null;
  headers: Record<string, string> | null;
  duplicateOf: { id: string } | null;
}

export interface UploadDeps {
  hash: (file: File) => Promise<string>;
  requestUpload: (input: {
    filename: string;
    sha256: string;
    bytes: number;
    mimeType: string;
  }) => Promise<UploadTicketLike>;
  put: (
    url: string,
    headers: Record<string, string>,
    file: File,
    onProgress: (fraction: number) => void,
    signal: AbortSignal,
  ) => Promise<void>;
  confirmUpload: (uploadId: string) => Promise<{ duplicate: boolean; imageId: string }>;
  /** Runs after a new image is created (e.g. to set the batch's split). */
  afterCreate?: (imageId: string) => Promise<void>;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  tif: "image/tiff",
  tiff: "image/tiff",
};

export function mimeTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return MIME_BY_EXTENSION[extension] ?? "application/octet-stream";
}

export function isFinished(state: UploadState): boolean {
  return state === "done" || state === "duplicate" || state === "error";
}

/** A file's share of its own work done, for the overall bar (hashing and verifying are short). */
function fractionDone(item: UploadItem): number {
  switch (item.state) {
    case "queued":
      return 0;
    case "hashing":
      return 0.03;
    case "uploading":
      return 0.05 + 0.9 * item.sent;
    case "verifying":
      return 0.97;
    default:
      return 1;
  }
}

/** Overall progress, weighting each file by its size. */
export function overallProgress(items: readonly UploadItem[]): number {
  let total = 0;
  let done = 0;
  for (const item of items) {
    const weight = Math.max(item.file.size, 1);
    total += weight;
    done += weight * fractionDone(item);
  }
  return total === 0 ? 0 : done / total;
}

export function summarize(items: readonly UploadItem[]): Record<UploadState, number> {
  const counts: Record<UploadState, number> = {
    queued: 0,
    hashing: 0,
    uploading: 0,
    verifying: 0,
    done: 0,
    duplicate: 0,
    error: 0,
  };
  for (const item of items) counts[item.state]++;
  return counts;
}

let keySequence = 0;

export function makeItems(files: Iterable<File>): UploadItem[] {
  return [...files].map((file) => ({
    key: `upload-${++keySequence}`,
    file,
    state: "queued" as const,
    sent: 0,
    message: null,
    imageId: null,
  }));
}

export class UploadBatch {
  private items: UploadItem[];
  private readonly controller = new AbortController();
  private running = false;

  constructor(
    items: UploadItem[],
    private readonly deps: UploadDeps,
    private readonly onChange: (items: readonly UploadItem[]) => void,
    private readonly concurrency = 4,
  ) {
    this.items = items;
  }

  get snapshot(): readonly UploadItem[] {
    return this.items;
  }

  add(items: UploadItem[]): void {
    this.items = [...this.items, ...items];
    this.onChange(this.items);
    if (this.running) this.spawnWorkers();
  }

  /** Puts failed files back in the queue. */
  retryFailed(): void {
    for (const item of this.items) {
      if (item.state === "error")
        this.update(item.key, { state: "queued", sent: 0, message: null });
    }
    if (this.running) this.spawnWorkers();
  }

  cancel(): void {
    this.controller.abort();
    for (const item of this.items) {
      if (!isFinished(item.state)) this.update(item.key, { state: "error", message: "Cancelled" });
    }
  }

  private activeWorkers = 0;
  private finished: (() => void) | null = null;

  /** Runs until every file is done, a duplicate, or failed. */
  run(): Promise<void> {
    this.running = true;
    return new Promise((resolve) => {
      this.finished = resolve;
      this.spawnWorkers();
      if (this.activeWorkers === 0) this.settle();
    });
  }

  private spawnWorkers(): void {
    while (
      this.activeWorkers < this.concurrency &&
      this.items.some((item) => item.state === "queued")
    ) {
      this.activeWorkers++;
      void this.worker().finally(() => {
        this.activeWorkers--;
        if (this.activeWorkers === 0) this.settle();
      });
    }
  }

  private settle(): void {
    if (this.items.every((item) => isFinished(item.state))) {
      const done = this.finished;
      this.finished = null;
      done?.();
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.controller.signal.aborted) return;
      const next = this.items.find((item) => item.state === "queued");
      if (!next) return;
      // Claim it before the first await so no other worker takes it.
      this.update(next.key, { state: "hashing" });
      await this.process(next.key);
    }
  }

  private async process(key: string): Promise<void> {
    const file = this.find(key).file;
    try {
      const sha256 = await this.deps.hash(file);
      this.abortIfCancelled();
      const ticket = await this.deps.requestUpload({
        filename: file.name,
        sha256,
        bytes: file.size,
        mimeType: mimeTypeOf(file),
      });
      this.abortIfCancelled();
      if (ticket.duplicateOf) {
        this.update(key, {
          state: "duplicate",
          imageId: ticket.duplicateOf.id,
          message: "Already in this dataset",
        });
        return;
      }
      if (!ticket.uploadId || !ticket.url) throw new Error("The API returned no upload URL.");
      this.update(key, { state: "uploading", sent: 0 });
      await this.deps.put(
        ticket.url,
        ticket.headers ?? {},
        file,
        (fraction) => this.update(key, { sent: fraction }),
        this.controller.signal,
      );
      this.update(key, { state: "verifying", sent: 1 });
      const confirmed = await this.deps.confirmUpload(ticket.uploadId);
      if (confirmed.duplicate) {
        this.update(key, {
          state: "duplicate",
          imageId: confirmed.imageId,
          message: "Already in this dataset",
        });
        return;
      }
      let message: string | null = null;
      if (this.deps.afterCreate) {
        try {
          await this.deps.afterCreate(confirmed.imageId);
        } catch (error) {
          message = `Uploaded, but: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      this.update(key, { state: "done", imageId: confirmed.imageId, message });
    } catch (error) {
      const cancelled = this.controller.signal.aborted;
      this.update(key, {
        state: "error",
        message: cancelled ? "Cancelled" : error instanceof Error ? error.message : String(error),
      });
    }
  }

  private abortIfCancelled(): void {
    if (this.controller.signal.aborted) throw new Error("Cancelled");
  }

  private find(key: string): UploadItem {
    const item = this.items.find((candidate) => candidate.key === key);
    if (!item) throw new Error(`unknown upload ${key}`);
    return item;
  }

  private update(key: string, patch: Partial<UploadItem>): void {
    this.items = this.items.map((item) => (item.key === key ? { ...item, ...patch } : item));
    this.onChange(this.items);
  }
}

/** Parses S3's XML error body for its <Message>, so storage refusals read as sentences. */
export function storageErrorMessage(status: number, body: string): string {
  const match = /<Message>([^<]*)<\/Message>/.exec(body);
  const code = /<Code>([^<]*)<\/Code>/.exec(body);
  const detail = match?.[1] ?? code?.[1];
  return detail
    ? `Storage refused the upload (HTTP ${status}): ${detail}`
    : `Storage refused the upload (HTTP ${status}).`;
}

/** Headers the browser sets itself and refuses from scripts. */
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "accept-encoding",
  "user-agent",
  "origin",
  "referer",
]);

/** PUT with XMLHttpRequest: fetch() cannot report upload progress. */
export function xhrPut(
  url: string,
  headers: Record<string, string>,
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) {
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, String(value));
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new Error(storageErrorMessage(xhr.status, xhr.responseText ?? "")));
    };
    xhr.onerror = () => reject(new Error("Could not reach storage (network or CORS error)."));
    xhr.onabort = () => reject(new Error("Cancelled"));
    xhr.ontimeout = () => reject(new Error("Storage timed out."));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
