-- CreateTable
CREATE TABLE "HealthCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mailboxId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "trigger" TEXT NOT NULL,
    "errorClass" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "HealthCheck_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HealthCheck_mailboxId_at_idx" ON "HealthCheck"("mailboxId", "at");

-- CreateIndex
CREATE INDEX "HealthCheck_at_idx" ON "HealthCheck"("at");
