-- AlterTable
ALTER TABLE "ConsentRequest" ADD COLUMN     "outcome" TEXT;
