import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

/** The repository root (packages/db/src → ../../..). */
export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const defaultSchemaPath = resolve(repoRoot, "prisma/schema.prisma");
export const defaultMigrationsDir = resolve(repoRoot, "prisma/migrations");
