// `npm run db:diff`: prints the SQL that separates the migrations from prisma/schema.prisma, and
// exits 1 when there is any (for CI).
import { diffSchemaAgainstMigrations } from "./migrate.ts";

const sql = await diffSchemaAgainstMigrations();
if (sql) {
  process.stdout.write(sql);
  process.exitCode = 1;
} else {
  console.log("The migrations match prisma/schema.prisma.");
}
