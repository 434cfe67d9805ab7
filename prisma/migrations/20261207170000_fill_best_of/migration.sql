-- Best-of-N model fills: a request generates bestOf candidates per sample and keeps the one its
-- critic scores highest; the lineage records which candidate was kept and every candidate's score.
-- AlterTable
ALTER TABLE "GenerationRequest" ADD COLUMN     "bestOf" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Lineage" ADD COLUMN     "selection" JSONB;
