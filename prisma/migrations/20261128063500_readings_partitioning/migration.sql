-- Reading becomes a table range-partitioned by "time", one partition per month (created ahead of
-- time by the application, see packages/db/src/partitions.ts), plus a DEFAULT partition so that
-- no insert ever fails for lack of a partition.
--
-- Written by hand: Prisma cannot express partitioning. The partitioned table keeps exactly the
-- columns, primary key, index and foreign keys of the schema's Reading model, so the schema and
-- the migrations still agree (the partition key "time" is part of the primary key, as PostgreSQL
-- requires).

-- Move the plain table out of the way, freeing its constraint and index names.
ALTER TABLE "Reading" RENAME TO "Reading_unpartitioned";
ALTER TABLE "Reading_unpartitioned" RENAME CONSTRAINT "Reading_pkey" TO "Reading_unpartitioned_pkey";
ALTER TABLE "Reading_unpartitioned" DROP CONSTRAINT "Reading_deviceId_fkey";
ALTER TABLE "Reading_unpartitioned" DROP CONSTRAINT "Reading_metricId_fkey";
ALTER INDEX "Reading_time_idx" RENAME TO "Reading_unpartitioned_time_idx";

-- CreateTable
CREATE TABLE "Reading" (
    "deviceId" UUID NOT NULL,
    "metricId" INTEGER NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Reading_pkey" PRIMARY KEY ("deviceId","metricId","time")
) PARTITION BY RANGE ("time");

-- Catches rows for months that have no partition yet.
CREATE TABLE "Reading_default" PARTITION OF "Reading" DEFAULT;

-- CreateIndex
CREATE INDEX "Reading_time_idx" ON "Reading"("time");

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "Metric"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Keep any readings written before this migration.
INSERT INTO "Reading" ("deviceId", "metricId", "time", "value")
SELECT "deviceId", "metricId", "time", "value" FROM "Reading_unpartitioned";

DROP TABLE "Reading_unpartitioned";
