-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "credentialHash" TEXT;

-- AlterTable
ALTER TABLE "Metric" ADD COLUMN     "maxValue" DOUBLE PRECISION,
ADD COLUMN     "minValue" DOUBLE PRECISION;
