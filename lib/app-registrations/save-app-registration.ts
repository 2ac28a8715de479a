import { randomUUID } from "node:crypto";
import { getDb, isUniqueConstraintError } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { encryptSecret, secretHint } from "@/lib/vault/vault";
import { appRegistrationFormSchema, validateAppRegistrationForm } from "@/lib/app-registrations/app-registration-form";
import { getAppRegistration, type AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { parseInput } from "@/lib/validation";
import { reactivateGrantsOfApp } from "@/lib/grants/reactivate-grants";

export const secretContext = (id: string) => `app:${id}:client-secret`;
export const privateKeyContext = (id: string) => `app:${id}:private-key`;

export interface SaveResult {
  appRegistration: AppRegistrationView;
  warnings: Record<string, string>;
}

/** Creates (id null) or updates an app registration; secrets go through the vault and are never returned. */
export async function saveAppRegistration(id: string | null, raw: unknown, actor: AuditActor, meta: RequestMeta): Promise<SaveResult> {
  const form = parseInput(appRegistrationFormSchema, raw);
  const db = getDb();
  const before = id ? await db.appRegistration.findUnique({ where: { id } }) : null;
  if (id && !before) throw new AppError("not_found", "That app registration does not exist.");
  const validation = validateAppRegistrationForm(
    form,
    before
      ? {
          credentialType: before.credentialType === "certificate" ? "certificate" : "secret",
          hasSecret: before.clientSecretEncrypted !== null,
          hasCertificate: before.privateKeyEncrypted !== null,
        }
      : null,
  );
  if (!validation.ok) {
    throw new AppError("validation", "Some fields need attention; see the messages beside them.", validation.fieldErrors, undefined, validation.warnings);
  }
  const v = validation.value;
  const rowId = id ?? randomUUID();
  const credentialChanged = v.clientSecret !== null || v.certificate !== null;
  const data = {
    label: v.label,
    cloud: v.cloud,
    customCloud: v.customCloud ? JSON.stringify(v.customCloud) : null,
    tenant: v.tenant,
    audience: v.audience,
    clientId: v.clientId,
    credentialType: v.credentialType,
    servicePrincipalObjectId: v.servicePrincipalObjectId,
    credentialExpiresAt: v.credentialExpiresAt,
    ...(v.clientSecret !== null
      ? {
          clientSecretEncrypted: encryptSecret(v.clientSecret, secretContext(rowId)),
          secretHint: secretHint(v.clientSecret),
          certificatePem: null,
          certificateThumbprintSha1: null,
          certificateThumbprintSha256: null,
          privateKeyEncrypted: null,
        }
      : {}),
    ...(v.certificate !== null
      ? {
          certificatePem: v.certificate.pem,
          certificateThumbprintSha1: v.certificate.info.thumbprintSha1Hex,
          certificateThumbprintSha256: v.certificate.info.thumbprintSha256Hex,
          privateKeyEncrypted: encryptSecret(v.certificate.privateKeyPem, privateKeyContext(rowId)),
          clientSecretEncrypted: null,
          secretHint: null,
        }
      : {}),
    ...(credentialChanged ? { credentialSetAt: new Date(), lastCheckAt: null, lastCheckOutcome: null, lastCheckDetail: null } : {}),
  };

  try {
    if (before) await db.appRegistration.update({ where: { id: rowId }, data });
    else await db.appRegistration.create({ data: { id: rowId, ...data } });
  } catch (e) {
    if (isUniqueConstraintError(e)) {
      throw new AppError("validation", "Another app registration has that name.", { label: "Another app registration has this name; choose another." });
    }
    throw e;
  }

  // A fixed credential, tenant or client ID may make stopped grants usable again: let them try once more.
  if (before && (credentialChanged || before.tenant !== v.tenant || before.clientId !== v.clientId)) await reactivateGrantsOfApp(rowId);

  const changedFields = before
    ? (Object.keys(data) as (keyof typeof data)[])
        .filter((k) => !["lastCheckAt", "lastCheckOutcome", "lastCheckDetail", "credentialSetAt"].includes(k))
        .filter((k) => String((before as Record<string, unknown>)[k] ?? "") !== String((data as Record<string, unknown>)[k] ?? ""))
        // a re-encrypted secret always differs; name it once as the credential
        .map((k) => (k === "clientSecretEncrypted" ? "clientSecret" : k === "privateKeyEncrypted" ? "privateKey" : k))
        .filter((k) => k !== "secretHint")
    : [];
  await recordAuditEvent({
    actor,
    action: before ? "app_registration.updated" : "app_registration.created",
    target: { type: "app_registration", id: rowId, label: v.label },
    meta,
    details: before ? { changedFields } : { cloud: v.cloud, tenant: v.tenant, credentialType: v.credentialType },
  });
  const saved = await getAppRegistration(rowId);
  return { appRegistration: saved!, warnings: validation.warnings };
}

/** Refused while mailboxes use it: they would lose the app they authenticate through. */
export async function deleteAppRegistration(id: string, actor: AuditActor, meta: RequestMeta): Promise<void> {
  const db = getDb();
  const row = await db.appRegistration.findUnique({ where: { id }, include: { _count: { select: { mailboxes: true } } } });
  if (!row) throw new AppError("not_found", "That app registration does not exist.");
  if (row._count.mailboxes > 0) {
    throw new AppError(
      "conflict",
      `${row._count.mailboxes} mailbox${row._count.mailboxes === 1 ? " uses" : "es use"} this app registration. Move them to another app registration or delete them first.`,
    );
  }
  await db.appRegistration.delete({ where: { id } });
  await recordAuditEvent({ actor, action: "app_registration.deleted", target: { type: "app_registration", id, label: row.label }, meta });
}
