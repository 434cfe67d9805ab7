import { defineConfig } from "prisma/config";

// The application applies migrations itself at start-up (packages/db); this file serves the Prisma
// CLI (`prisma generate`, and `prisma migrate deploy` where the native engine is available).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/gridfill" },
});
