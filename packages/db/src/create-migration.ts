// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_NAME/migration.sql with the
// SQL that takes the existing migrations to prisma/schema.prisma.
import { createMigration } from "./migrate.ts";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run db:migration -- NAME");
  process.exit(2);
}
const created = await createMigration(name);
if (created) console.log(`Created ${created.path}`);
else console.log("The migrations already match prisma/schema.prisma; nothing to create.");
