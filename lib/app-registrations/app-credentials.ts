import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { AppCredential } from "@/lib/microsoft/acquire-app-token";
import { decryptSecret } from "@/lib/vault/vault";
import { privateKeyContext, secretContext } from "@/lib/app-registrations/save-app-registration";

/** The decrypted credential of an app registration, for MSAL only: never logged, returned to a page or audited. */
export async function loadAppCredential(appRegistrationId: string): Promise<AppCredential> {
  const row = await getDb().appRegistration.findUnique({
    where: { id: appRegistrationId },
    select: { credentialType: true, clientSecretEncrypted: true, certificatePem: true, privateKeyEncrypted: true },
  });
  if (!row) throw new AppError("not_found", "That app registration does not exist.");
  if (row.credentialType === "certificate") {
    if (!row.certificatePem || !row.privateKeyEncrypted) throw new AppError("conflict", "This app registration has no certificate yet. Add one under Edit.");
    return { kind: "certificate", certificatePem: row.certificatePem, privateKeyPem: decryptSecret(row.privateKeyEncrypted, privateKeyContext(appRegistrationId)) };
  }
  if (!row.clientSecretEncrypted) throw new AppError("conflict", "This app registration has no client secret yet. Add one under Edit.");
  return { kind: "secret", secret: decryptSecret(row.clientSecretEncrypted, secretContext(appRegistrationId)) };
}
