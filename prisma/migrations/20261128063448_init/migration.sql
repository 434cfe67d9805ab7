-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'CURATOR', 'VIEWER');

-- CreateEnum
CREATE TYPE "Split" AS ENUM ('TRAIN', 'VAL', 'TEST', 'UNASSIGNED');

-- CreateEnum
CREATE TYPE "Origin" AS ENUM ('REAL', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('NONE', 'PENDING', 'ACCEPTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AnnotationSource" AS ENUM ('HUMAN', 'IMPORTED', 'GENERATED');

-- CreateEnum
CREATE TYPE "AssetType" AS ENUM ('INSULATOR', 'FITTING', 'CONDUCTOR', 'TOWER', 'OTHER');

-- CreateEnum
CREATE TYPE "DeviceKind" AS ENUM ('SENSOR', 'SMART_METER', 'CAMERA', 'UAV');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "datasetId" UUID,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "countPendingSynthetic" BOOLEAN NOT NULL DEFAULT false,
    "syntheticShareCap" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DefectClass" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "parentId" UUID,
    "assetType" "AssetType" NOT NULL DEFAULT 'OTHER',
    "color" TEXT NOT NULL DEFAULT '#888888',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DefectClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "objectKey" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "filename" TEXT NOT NULL DEFAULT '',
    "split" "Split" NOT NULL DEFAULT 'UNASSIGNED',
    "origin" "Origin" NOT NULL DEFAULT 'REAL',
    "reviewState" "ReviewState" NOT NULL DEFAULT 'NONE',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "capturedAt" TIMESTAMP(3),
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "deviceId" UUID,
    "towerId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Annotation" (
    "id" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "width" DOUBLE PRECISION NOT NULL,
    "height" DOUBLE PRECISION NOT NULL,
    "source" "AnnotationSource" NOT NULL DEFAULT 'HUMAN',
    "authorId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Annotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageClass" (
    "imageId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "origin" "Origin" NOT NULL,
    "reviewState" "ReviewState" NOT NULL,
    "boxes" INTEGER NOT NULL,

    CONSTRAINT "ImageClass_pkey" PRIMARY KEY ("imageId","classId")
);

-- CreateTable
CREATE TABLE "ClassCounter" (
    "datasetId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "origin" "Origin" NOT NULL,
    "reviewState" "ReviewState" NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,
    "boxes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ClassCounter_pkey" PRIMARY KEY ("datasetId","classId","split","origin","reviewState")
);

-- CreateTable
CREATE TABLE "UploadIntent" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "filename" TEXT NOT NULL DEFAULT '',
    "objectKey" TEXT NOT NULL,
    "createdById" UUID,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UploadIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "manifestKey" TEXT NOT NULL,
    "manifestSha256" TEXT NOT NULL,
    "images" INTEGER NOT NULL,
    "boxes" INTEGER NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersionClassCount" (
    "versionId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "className" TEXT NOT NULL,
    "split" "Split" NOT NULL,
    "origin" "Origin" NOT NULL,
    "reviewState" "ReviewState" NOT NULL,
    "images" INTEGER NOT NULL,
    "boxes" INTEGER NOT NULL,

    CONSTRAINT "DatasetVersionClassCount_pkey" PRIMARY KEY ("versionId","classId","split","origin","reviewState")
);

-- CreateTable
CREATE TABLE "PowerLine" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "voltageKv" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PowerLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tower" (
    "id" UUID NOT NULL,
    "lineId" UUID,
    "name" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tower_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Device" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DeviceKind" NOT NULL,
    "towerId" UUID,
    "lineId" UUID,
    "metadata" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Metric" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,

    CONSTRAINT "Metric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reading" (
    "deviceId" UUID NOT NULL,
    "metricId" INTEGER NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Reading_pkey" PRIMARY KEY ("deviceId","metricId","time")
);

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "topic" TEXT,
    "payload" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "generatorKey" TEXT NOT NULL,
    "generatorSha256" TEXT NOT NULL,
    "criticKey" TEXT,
    "criticSha256" TEXT,
    "imageSize" INTEGER NOT NULL,
    "shots" INTEGER NOT NULL,
    "fusedPositions" INTEGER NOT NULL,
    "gridSize" INTEGER NOT NULL,
    "classNames" TEXT[],
    "config" JSONB,
    "metrics" JSONB,
    "status" "ModelStatus" NOT NULL DEFAULT 'ARCHIVED',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GenerationRequest" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "count" INTEGER NOT NULL,
    "strategy" JSONB,
    "shots" INTEGER NOT NULL,
    "seed" BIGINT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'QUEUED',
    "completed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "jobId" TEXT,
    "requestedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "GenerationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lineage" (
    "id" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "sampleIndex" INTEGER NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "modelSha256" TEXT NOT NULL,
    "seed" BIGINT NOT NULL,
    "baseImageId" UUID NOT NULL,
    "referenceImageIds" TEXT[],
    "referenceBoxes" JSONB NOT NULL,
    "coefficients" DOUBLE PRECISION[],
    "positions" INTEGER[],
    "realism" DOUBLE PRECISION,
    "classScore" DOUBLE PRECISION,
    "nearestReferenceDistance" DOUBLE PRECISION,
    "executionProvider" TEXT NOT NULL,
    "reviewerId" UUID,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lineage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_datasetId_createdAt_idx" ON "AuditEvent"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_idx" ON "AuditEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE INDEX "DefectClass_parentId_idx" ON "DefectClass"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "DefectClass_datasetId_name_key" ON "DefectClass"("datasetId", "name");

-- CreateIndex
CREATE INDEX "Image_datasetId_id_idx" ON "Image"("datasetId", "id");

-- CreateIndex
CREATE INDEX "Image_datasetId_split_origin_id_idx" ON "Image"("datasetId", "split", "origin", "id");

-- CreateIndex
CREATE INDEX "Image_datasetId_reviewState_id_idx" ON "Image"("datasetId", "reviewState", "id");

-- CreateIndex
CREATE INDEX "Image_datasetId_capturedAt_idx" ON "Image"("datasetId", "capturedAt");

-- CreateIndex
CREATE INDEX "Image_tags_idx" ON "Image" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Image_objectKey_idx" ON "Image"("objectKey");

-- CreateIndex
CREATE UNIQUE INDEX "Image_datasetId_sha256_key" ON "Image"("datasetId", "sha256");

-- CreateIndex
CREATE INDEX "Annotation_imageId_idx" ON "Annotation"("imageId");

-- CreateIndex
CREATE INDEX "Annotation_classId_idx" ON "Annotation"("classId");

-- CreateIndex
CREATE INDEX "ImageClass_datasetId_classId_split_origin_imageId_idx" ON "ImageClass"("datasetId", "classId", "split", "origin", "imageId");

-- CreateIndex
CREATE INDEX "ImageClass_classId_idx" ON "ImageClass"("classId");

-- CreateIndex
CREATE INDEX "UploadIntent_datasetId_sha256_idx" ON "UploadIntent"("datasetId", "sha256");

-- CreateIndex
CREATE INDEX "UploadIntent_expiresAt_idx" ON "UploadIntent"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_datasetId_number_key" ON "DatasetVersion"("datasetId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PowerLine_name_key" ON "PowerLine"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Tower_name_key" ON "Tower"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Device_name_key" ON "Device"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Metric_name_key" ON "Metric"("name");

-- CreateIndex
CREATE INDEX "Reading_time_idx" ON "Reading"("time");

-- CreateIndex
CREATE INDEX "DeadLetter_receivedAt_idx" ON "DeadLetter"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_name_version_key" ON "ModelVersion"("name", "version");

-- CreateIndex
CREATE INDEX "GenerationRequest_datasetId_createdAt_idx" ON "GenerationRequest"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "GenerationRequest_status_idx" ON "GenerationRequest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Lineage_imageId_key" ON "Lineage"("imageId");

-- CreateIndex
CREATE INDEX "Lineage_baseImageId_idx" ON "Lineage"("baseImageId");

-- CreateIndex
CREATE UNIQUE INDEX "Lineage_requestId_sampleIndex_key" ON "Lineage"("requestId", "sampleIndex");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DefectClass" ADD CONSTRAINT "DefectClass_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DefectClass" ADD CONSTRAINT "DefectClass_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "DefectClass"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_towerId_fkey" FOREIGN KEY ("towerId") REFERENCES "Tower"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DefectClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageClass" ADD CONSTRAINT "ImageClass_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageClass" ADD CONSTRAINT "ImageClass_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DefectClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassCounter" ADD CONSTRAINT "ClassCounter_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DefectClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UploadIntent" ADD CONSTRAINT "UploadIntent_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersionClassCount" ADD CONSTRAINT "DatasetVersionClassCount_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tower" ADD CONSTRAINT "Tower_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "PowerLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_towerId_fkey" FOREIGN KEY ("towerId") REFERENCES "Tower"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "PowerLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "Metric"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationRequest" ADD CONSTRAINT "GenerationRequest_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationRequest" ADD CONSTRAINT "GenerationRequest_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DefectClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationRequest" ADD CONSTRAINT "GenerationRequest_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lineage" ADD CONSTRAINT "Lineage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lineage" ADD CONSTRAINT "Lineage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "GenerationRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lineage" ADD CONSTRAINT "Lineage_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
