-- CreateTable
CREATE TABLE "HealthStatus" (
    "mailboxId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "errorClass" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "lastOkAt" DATETIME,
    "failingSince" DATETIME,

    PRIMARY KEY ("mailboxId", "protocol", "direction"),
    CONSTRAINT "HealthStatus_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthSweep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trigger" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "mailboxes" INTEGER NOT NULL DEFAULT 0,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "stoppedEarly" TEXT
);

-- CreateIndex
CREATE INDEX "HealthStatus_ok_idx" ON "HealthStatus"("ok");

-- CreateIndex
CREATE INDEX "HealthSweep_startedAt_idx" ON "HealthSweep"("startedAt");
