-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mailboxId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "tenantId" TEXT,
    "objectId" TEXT,
    "userName" TEXT,
    "displayName" TEXT,
    "scopes" TEXT NOT NULL DEFAULT '',
    "refreshTokenEncrypted" TEXT,
    "previousRefreshTokenEncrypted" TEXT,
    "refreshTokenVersion" INTEGER NOT NULL DEFAULT 0,
    "consentedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refreshTokenIssuedAt" DATETIME,
    "lastRefreshAt" DATETIME,
    "lastUsedAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastErrorAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Grant_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GrantAccessToken" (
    "grantId" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "tokenEncrypted" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "claims" TEXT NOT NULL DEFAULT '{}',
    "issuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("grantId", "resource"),
    CONSTRAINT "GrantAccessToken_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentRequest" (
    "stateHash" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "mailboxId" TEXT,
    "appRegistrationId" TEXT,
    "consentLinkId" TEXT,
    "initiatedByUserId" TEXT,
    "browserBindingHash" TEXT NOT NULL,
    "codeVerifierEncrypted" TEXT,
    "nonce" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ConsentLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mailboxId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tokenEncrypted" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ConsentLink_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Grant_mailboxId_key" ON "Grant"("mailboxId");

-- CreateIndex
CREATE INDEX "Grant_state_idx" ON "Grant"("state");

-- CreateIndex
CREATE INDEX "Grant_lastRefreshAt_idx" ON "Grant"("lastRefreshAt");

-- CreateIndex
CREATE INDEX "ConsentRequest_expiresAt_idx" ON "ConsentRequest"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentLink_tokenHash_key" ON "ConsentLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ConsentLink_mailboxId_idx" ON "ConsentLink"("mailboxId");
