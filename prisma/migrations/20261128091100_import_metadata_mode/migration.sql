-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "bucketPrefix" TEXT,
ADD COLUMN     "metadataOnly" BOOLEAN NOT NULL DEFAULT false;
