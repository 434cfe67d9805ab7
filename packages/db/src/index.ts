export * from "./client.ts";
export { applyMigrations, createMigration, diffSchemaAgainstMigrations, ensureDatabase, loadMigrations } from "./migrate.ts";
export type { MigrationOptions, DiffOptions } from "./migrate.ts";
