-- CreateTable
CREATE TABLE "AppRegistration" (
    "id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "cloud" TEXT NOT NULL,
    "customCloud" TEXT,
    "tenant" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "credentialType" TEXT NOT NULL,
    "clientSecretEncrypted" TEXT,
    "secretHint" TEXT,
    "certificatePem" TEXT,
    "certificateThumbprintSha1" TEXT,
    "certificateThumbprintSha256" TEXT,
    "privateKeyEncrypted" TEXT,
    "credentialExpiresAt" TIMESTAMP(3),
    "credentialSetAt" TIMESTAMP(3),
    "servicePrincipalObjectId" TEXT,
    "lastCheckAt" TIMESTAMP(3),
    "lastCheckOutcome" TEXT,
    "lastCheckDetail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mailbox" (
    "id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "direction" TEXT NOT NULL,
    "inboundProtocol" TEXT,
    "inboundHost" TEXT,
    "inboundPort" INTEGER,
    "inboundSecurity" TEXT,
    "outboundProtocol" TEXT,
    "outboundHost" TEXT,
    "outboundPort" INTEGER,
    "outboundSecurity" TEXT,
    "authMode" TEXT NOT NULL,
    "accountKind" TEXT NOT NULL DEFAULT 'work',
    "signingIdentity" TEXT,
    "ownerEmail" TEXT,
    "tags" TEXT NOT NULL DEFAULT ',',
    "appRegistrationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mailbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AppRegistration_label_key" ON "AppRegistration"("label");

-- CreateIndex
CREATE INDEX "AppRegistration_cloud_idx" ON "AppRegistration"("cloud");

-- CreateIndex
CREATE INDEX "AppRegistration_tenant_idx" ON "AppRegistration"("tenant");

-- CreateIndex
CREATE INDEX "Mailbox_address_idx" ON "Mailbox"("address");

-- CreateIndex
CREATE INDEX "Mailbox_appRegistrationId_idx" ON "Mailbox"("appRegistrationId");

-- CreateIndex
CREATE INDEX "Mailbox_inboundProtocol_idx" ON "Mailbox"("inboundProtocol");

-- CreateIndex
CREATE INDEX "Mailbox_outboundProtocol_idx" ON "Mailbox"("outboundProtocol");

-- CreateIndex
CREATE INDEX "Mailbox_direction_idx" ON "Mailbox"("direction");

-- CreateIndex
CREATE INDEX "Mailbox_createdAt_idx" ON "Mailbox"("createdAt");

-- CreateIndex
CREATE INDEX "Mailbox_displayName_idx" ON "Mailbox"("displayName");

-- AddForeignKey
ALTER TABLE "Mailbox" ADD CONSTRAINT "Mailbox_appRegistrationId_fkey" FOREIGN KEY ("appRegistrationId") REFERENCES "AppRegistration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
