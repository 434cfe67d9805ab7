// Raw SQL for the hot read paths. Through the pg pool when the API has one (a round trip with no
// query-compiler overhead), else through Prisma, so in-process callers need only a Prisma client.
import type { Dataset, DefectClass, PrismaClient, User } from "@gridfill/db";
import type { Deps } from "./context.ts";

export type Db = Pick<Deps, "prisma" | "pool">;
export type SqlQuery = <T = Record<string, unknown>>(
  sql: string,
  params: unknown[],
) => Promise<T[]>;

export function isDb(value: Db | PrismaClient): value is Db {
  return typeof (value as Db).prisma === "object" && (value as Db).prisma !== null;
}

export function sqlOf(db: Db | PrismaClient): SqlQuery {
  const { prisma, pool } = isDb(db) ? db : { prisma: db, pool: undefined };
  if (pool)
    return async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[];
  return <T>(sql: string, params: unknown[]) => prisma.$queryRawUnsafe<T[]>(sql, ...params);
}

const utc = (column: string) => `${column} AT TIME ZONE 'UTC' AS ${column}`;

export const DATASET_COLUMNS = `id::text AS id, name, description, "countPendingSynthetic",
  "countUnreviewedPredicted", "syntheticShareCap", "createdById"::text AS "createdById", ${utc(`"createdAt"`)}, ${utc(`"updatedAt"`)}`;

export const CLASS_COLUMNS = `id::text AS id, "datasetId"::text AS "datasetId", name, title, "parentId"::text AS "parentId",
  "assetType"::text AS "assetType", color, "hostClassId"::text AS "hostClassId", "isHostObject",
  ${utc(`"createdAt"`)}`;

export function selectDatasets(db: Db | PrismaClient, ids: readonly string[]): Promise<Dataset[]> {
  return sqlOf(db)<Dataset>(`SELECT ${DATASET_COLUMNS} FROM "Dataset" WHERE id = ANY($1::uuid[])`, [
    [...ids],
  ]);
}

export function selectClassesOfDataset(
  db: Db | PrismaClient,
  datasetId: string,
): Promise<DefectClass[]> {
  return sqlOf(db)<DefectClass>(
    `SELECT ${CLASS_COLUMNS} FROM "DefectClass" WHERE "datasetId" = $1::uuid ORDER BY name, id`,
    [datasetId],
  );
}

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "createdAt">;

export function selectUsers(db: Db | PrismaClient, ids: readonly string[]): Promise<PublicUser[]> {
  return sqlOf(db)<PublicUser>(
    `SELECT id::text AS id, email, name, role::text AS role, ${utc(`"createdAt"`)} FROM "User" WHERE id = ANY($1::uuid[])`,
    [[...ids]],
  );
}
