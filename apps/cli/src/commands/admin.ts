import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { Config } from "@gridfill/config";
import { applyMigrations, createPrisma, ensureDatabase, startEmbeddedPostgres } from "@gridfill/db";
import { createUser } from "@gridfill/core";

async function promptPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const password = await rl.question("Password (at least 12 characters): ");
  rl.close();
  return password;
}

/** Which database to write to: DATABASE_URL, a running embedded instance, or the embedded one started now. */
async function openDatabase(config: Config) {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  const runtime = path.join(config.dataDir, "runtime.json");
  if (existsSync(runtime)) {
    const { pid, databaseUrl } = JSON.parse(readFileSync(runtime, "utf8")) as {
      pid: number;
      databaseUrl: string;
    };
    try {
      process.kill(pid, 0);
      return { url: databaseUrl, stop: async () => {} };
    } catch {
      // that platform is gone: start the embedded database ourselves
    }
  }
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, "postgres"),
    database: "gridfill",
  });
  return { url: pg.url, stop: () => pg.stop() };
}

export async function runAdminCreate(
  config: Config,
  opts: { email: string; password?: string; name: string },
): Promise<void> {
  const password = opts.password ?? config.admin?.password ?? (await promptPassword());
  if (password.length < 12) throw new Error("the password must be at least 12 characters");
  const db = await openDatabase(config);
  try {
    await ensureDatabase(db.url);
    await applyMigrations(db.url);
    const prisma = createPrisma(db.url);
    try {
      const user = await createUser(
        prisma,
        { email: opts.email, name: opts.name, password, role: "ADMIN" },
        null,
      );
      process.stdout.write(`Created administrator ${user.email}.\n`);
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await db.stop();
  }
}
