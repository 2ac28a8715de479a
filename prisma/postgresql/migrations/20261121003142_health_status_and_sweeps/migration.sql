-- CreateTable
CREATE TABLE "HealthStatus" (
    "mailboxId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "errorClass" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "lastOkAt" TIMESTAMP(3),
    "failingSince" TIMESTAMP(3),

    CONSTRAINT "HealthStatus_pkey" PRIMARY KEY ("mailboxId","protocol","direction")
);

-- CreateTable
CREATE TABLE "HealthSweep" (
    "id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "mailboxes" INTEGER NOT NULL DEFAULT 0,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "stoppedEarly" TEXT,

    CONSTRAINT "HealthSweep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HealthStatus_ok_idx" ON "HealthStatus"("ok");

-- CreateIndex
CREATE INDEX "HealthSweep_startedAt_idx" ON "HealthSweep"("startedAt");

-- AddForeignKey
ALTER TABLE "HealthStatus" ADD CONSTRAINT "HealthStatus_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
