-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "DatasetFormat" AS ENUM ('VOC', 'COCO', 'YOLO');

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "format" "DatasetFormat" NOT NULL,
    "source" TEXT NOT NULL,
    "split" "Split",
    "classMap" JSONB,
    "imagesAdded" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "boxesAdded" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "message" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportJob" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "format" "DatasetFormat" NOT NULL,
    "splits" "Split"[],
    "includeSynthetic" BOOLEAN NOT NULL DEFAULT false,
    "syntheticShareCap" DOUBLE PRECISION,
    "objectKey" TEXT,
    "images" INTEGER NOT NULL DEFAULT 0,
    "boxes" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT,
    "message" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportJob_datasetId_createdAt_idx" ON "ImportJob"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "ExportJob_versionId_createdAt_idx" ON "ExportJob"("versionId", "createdAt");

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportJob" ADD CONSTRAINT "ExportJob_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
