-- DropForeignKey
ALTER TABLE "Reading" DROP CONSTRAINT "Reading_deviceId_fkey";

-- DropForeignKey
ALTER TABLE "Reading" DROP CONSTRAINT "Reading_metricId_fkey";
