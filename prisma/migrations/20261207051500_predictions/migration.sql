-- CreateEnum
CREATE TYPE "AnnotationReview" AS ENUM ('UNREVIEWED', 'CONFIRMED', 'CORRECTED');

-- CreateEnum
CREATE TYPE "PredictionSource" AS ENUM ('IMPORT', 'MODEL');

-- AlterEnum
ALTER TYPE "AnnotationSource" ADD VALUE 'PREDICTED';

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "predictionRunId" UUID,
ADD COLUMN     "review" "AnnotationReview" NOT NULL DEFAULT 'UNREVIEWED',
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" UUID;

-- CreateTable
CREATE TABLE "PredictionRun" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "source" "PredictionSource" NOT NULL,
    "format" "DatasetFormat",
    "objectKey" TEXT,
    "modelSha256" TEXT,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "predictions" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "unknownImages" JSONB NOT NULL DEFAULT '[]',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "message" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PredictionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "width" DOUBLE PRECISION NOT NULL,
    "height" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelErrorDismissal" (
    "runId" UUID NOT NULL,
    "candidate" TEXT NOT NULL,
    "dismissedById" UUID,
    "dismissedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelErrorDismissal_pkey" PRIMARY KEY ("runId","candidate")
);

-- CreateIndex
CREATE INDEX "PredictionRun_datasetId_createdAt_idx" ON "PredictionRun"("datasetId", "createdAt");

-- CreateIndex
CREATE INDEX "Prediction_runId_imageId_idx" ON "Prediction"("runId", "imageId");

-- CreateIndex
CREATE INDEX "Prediction_runId_classId_score_idx" ON "Prediction"("runId", "classId", "score");

-- CreateIndex
CREATE INDEX "Prediction_imageId_idx" ON "Prediction"("imageId");

-- CreateIndex
CREATE INDEX "Annotation_predictionRunId_idx" ON "Annotation"("predictionRunId");

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_predictionRunId_fkey" FOREIGN KEY ("predictionRunId") REFERENCES "PredictionRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionRun" ADD CONSTRAINT "PredictionRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionRun" ADD CONSTRAINT "PredictionRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "PredictionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_classId_fkey" FOREIGN KEY ("classId") REFERENCES "DefectClass"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelErrorDismissal" ADD CONSTRAINT "LabelErrorDismissal_runId_fkey" FOREIGN KEY ("runId") REFERENCES "PredictionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
