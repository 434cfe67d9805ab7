/**
 * A dataset seen as a tree of files, so the readers work the same over a folder and a zip.
 * Paths are relative, `/`-separated, and never leave the tree.
 */
import { opendir, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { join, sep } from "node:path";
import type { Readable } from "node:stream";
import type { FormatError } from "./model.ts";

export interface FileTree {
  /** Where the tree comes from, for messages. */
  readonly origin: string;
  /** Problems found while opening the tree (zip entries refused as unsafe). */
  readonly errors: readonly FormatError[];
  /** Every usable file path, sorted. */
  listFiles(): Promise<string[]>;
  /** A fresh stream of the file's bytes; failures arrive as stream errors. */
  open(path: string): Readable;
  /** The reason an entry was refused, when a label refers to it. */
  refusal(path: string): FormatError | undefined;
  close(): Promise<void>;
}

/** Archive by-products that are never dataset content (macOS resource forks, Finder files). */
export function isJunkPath(path: string): boolean {
  const parts = path.split("/");
  const name = parts[parts.length - 1] ?? "";
  return (
    parts.includes("__MACOSX") ||
    name.startsWith("._") ||
    name === ".DS_Store" ||
    name === "Thumbs.db"
  );
}

const collator = new Intl.Collator("en", { numeric: true });
export const comparePaths = (a: string, b: string): number => collator.compare(a, b);

/** A folder on disk. Symbolic links are not followed, so the tree cannot reach outside the folder. */
export function openFolder(root: string): FileTree {
  return {
    origin: root,
    errors: [],
    async listFiles() {
      const found: string[] = [];
      const walk = async (dir: string, prefix: string): Promise<void> => {
        for await (const entry of await opendir(dir)) {
          const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
          else if (entry.isFile() && !isJunkPath(rel)) found.push(rel);
        }
      };
      await walk(root, "");
      return found.sort(comparePaths);
    },
    open(path) {
      if (path.split("/").includes("..")) throw new Error(`path leaves the tree: ${path}`);
      return createReadStream(join(root, ...path.split("/")));
    },
    refusal: () => undefined,
    close: async () => {},
  };
}

/** Opens a folder, or a `.zip` file through `openZip` with its default limits. */
export async function openTree(path: string): Promise<FileTree> {
  const info = await stat(path);
  if (info.isDirectory()) return openFolder(path.endsWith(sep) ? path.slice(0, -1) : path);
  const { openZip } = await import("./zip-tree.ts");
  return openZip(path);
}

/** Last path segment. */
export function baseName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.slice(slash + 1);
}

/** Folder part of a path, "" at the root. */
export function dirName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Name without its last extension. */
export function stemOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? base : base.slice(0, dot);
}

/** Lower-case extension without the dot, "" when none. */
export function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}

/** Joins path parts, resolving `.` and `..`; returns null when the result would leave the tree. */
export function joinPath(...parts: string[]): string | null {
  const out: string[] = [];
  for (const part of parts.join("/").replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}
