// Everything the application needs from the database: the Prisma client and its generated types,
// migrations, partition maintenance, the embedded server and test databases.
export * from "./client.ts";
export {
  applyMigrations,
  createMigration,
  diffSchemaAgainstMigrations,
  ensureDatabase,
  loadMigrations,
} from "./migrate.ts";
export type { MigrationOptions, DiffOptions } from "./migrate.ts";
export { ensureReadingPartitions, readingPartitionName, dropReadingsBefore } from "./partitions.ts";
export { startEmbeddedPostgres } from "./embedded.ts";
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./embedded.ts";
export { createTestDatabase } from "./testing.ts";
export type { TestDatabase } from "./testing.ts";
export { resolveServerUrl } from "./server.ts";
