-- CreateEnum
CREATE TYPE "FillMethod" AS ENUM ('MODEL', 'COPY_PASTE');

-- CreateEnum
CREATE TYPE "FillOutput" AS ENUM ('COMPOSITE', 'CROP');

-- CreateEnum
CREATE TYPE "HostChoice" AS ENUM ('CLEAN_ONLY', 'ANY');

-- AlterTable
ALTER TABLE "DefectClass" ADD COLUMN     "hostClassId" UUID,
ADD COLUMN     "isHostObject" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "GenerationRequest" ADD COLUMN     "hostIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "hosts" "HostChoice" NOT NULL DEFAULT 'CLEAN_ONLY',
ADD COLUMN     "method" "FillMethod" NOT NULL DEFAULT 'MODEL',
ADD COLUMN     "output" "FillOutput" NOT NULL DEFAULT 'CROP',
ALTER COLUMN "modelVersionId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Lineage" ADD COLUMN     "blend" JSONB,
ADD COLUMN     "colourTransfer" JSONB,
ADD COLUMN     "hostImageId" UUID,
ADD COLUMN     "hostSha256" TEXT,
ADD COLUMN     "method" "FillMethod" NOT NULL DEFAULT 'MODEL',
ADD COLUMN     "output" "FillOutput" NOT NULL DEFAULT 'CROP',
ADD COLUMN     "placement" JSONB,
ADD COLUMN     "scale" DOUBLE PRECISION,
ALTER COLUMN "modelVersionId" DROP NOT NULL,
ALTER COLUMN "modelSha256" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "Lineage_hostImageId_idx" ON "Lineage"("hostImageId");

-- AddForeignKey
ALTER TABLE "DefectClass" ADD CONSTRAINT "DefectClass_hostClassId_fkey" FOREIGN KEY ("hostClassId") REFERENCES "DefectClass"("id") ON DELETE SET NULL ON UPDATE CASCADE;
