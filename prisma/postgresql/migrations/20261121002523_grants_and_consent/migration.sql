-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL,
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
    "consentedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refreshTokenIssuedAt" TIMESTAMP(3),
    "lastRefreshAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GrantAccessToken" (
    "grantId" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "tokenEncrypted" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "claims" TEXT NOT NULL DEFAULT '{}',
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GrantAccessToken_pkey" PRIMARY KEY ("grantId","resource")
);

-- CreateTable
CREATE TABLE "ConsentRequest" (
    "stateHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mailboxId" TEXT,
    "appRegistrationId" TEXT,
    "consentLinkId" TEXT,
    "initiatedByUserId" TEXT,
    "browserBindingHash" TEXT NOT NULL,
    "codeVerifierEncrypted" TEXT,
    "nonce" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "ConsentRequest_pkey" PRIMARY KEY ("stateHash")
);

-- CreateTable
CREATE TABLE "ConsentLink" (
    "id" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tokenEncrypted" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ConsentLink_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GrantAccessToken" ADD CONSTRAINT "GrantAccessToken_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentLink" ADD CONSTRAINT "ConsentLink_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
