// The API's SDL files, in the order the schema is built from them: the root schema.graphql, then
// each domain folder's schema.graphql followed by its other .graphql files by name. Read by the
// server (schema.ts), the resolver type generation (codegen.ts) and the operation checks.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const DOMAINS = [
  "auth",
  "datasets",
  "classes",
  "images",
  "annotations",
  "balance",
  "audit",
  "imports",
  "versions",
  "exports",
  "iot",
  "models",
  "fills",
  "progress",
  "predictions",
] as const;

/** A domain's SDL: its schema.graphql, then any other .graphql files beside it (a large domain's parts). */
export function domainSdlFiles(dir: string): string[] {
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith(".graphql") && f !== "schema.graphql")
    .sort();
  return ["schema.graphql", ...parts].map((f) => path.join(dir, f));
}

/** The SDL file paths, root first. */
export function sdlFiles(): string[] {
  const here = import.meta.dirname;
  return [
    path.join(here, "schema.graphql"),
    ...DOMAINS.flatMap((d) => domainSdlFiles(path.join(here, d))),
  ];
}

/** The SDL texts, root first: the contract the console and the CLI are written against. */
export function loadTypeDefs(): string[] {
  return sdlFiles().map((file) => readFileSync(file, "utf8"));
}
