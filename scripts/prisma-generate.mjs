// Generates the Prisma client after install. The Prisma CLI tries to download its native schema
// engine even for `generate`, which does not need it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file keeps generation offline. Migrations use the WebAssembly engine (packages/db).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
