-- AlterTable
ALTER TABLE "GenerationRequest" ADD COLUMN     "candidateIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "executionProvider" TEXT,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3);
