import { z } from "zod";
import { cloudIdSchema, customCloudSchema, type CustomCloud } from "@/lib/microsoft/clouds";
import { normalizeTenant } from "@/lib/microsoft/authority";
import {
  appAudienceSchema,
  checkCertificateCredential,
  checkClientId,
  checkClientSecret,
  checkEnterpriseAppObjectId,
  checkSecretExpiry,
  checkTenant,
  checkTenantForAudience,
  type ConfigIssue,
} from "@/lib/microsoft/config-checks";
import type { CertificateInfo } from "@/lib/microsoft/certificate";

// The app registration form as the browser sends it (strings), and every check that runs before
// anything is saved. Errors block saving; warnings are shown beside the field and saving goes on.

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

export const appRegistrationFormSchema = z.object({
  label: z.string().trim().min(1, "Give it a name people recognise, such as “Help desk mailboxes”.").max(100, "Use at most 100 characters."),
  cloud: cloudIdSchema,
  tenant: z.string().trim().min(1, "Enter the Directory (tenant) ID from the app registration's Overview page."),
  audience: appAudienceSchema,
  clientId: z.string().trim().min(1, "Enter the Application (client) ID from the app registration's Overview page."),
  credentialType: z.enum(["secret", "certificate"]),
  /** Empty when editing means: keep the stored secret. Never trimmed: a secret's spaces are checked, not removed. */
  clientSecret: z.string().optional().transform((v) => v ?? ""),
  certificatePem: optionalText,
  privateKeyPem: optionalText,
  credentialExpiresAt: optionalText,
  servicePrincipalObjectId: optionalText,
  customLoginHost: optionalText,
  customGraphHost: optionalText,
  customOutlookDelegatedResource: optionalText,
  customExchangeResource: optionalText,
  customGraphResource: optionalText,
  customImapHost: optionalText,
  customPopHost: optionalText,
  customSmtpHost: optionalText,
  customEwsUrl: optionalText,
  customTrustedCaPem: optionalText,
});
export type AppRegistrationForm = z.infer<typeof appRegistrationFormSchema>;

export interface ValidatedAppRegistration {
  label: string;
  cloud: z.infer<typeof cloudIdSchema>;
  customCloud: CustomCloud | null;
  tenant: string;
  audience: z.infer<typeof appAudienceSchema>;
  clientId: string;
  credentialType: "secret" | "certificate";
  /** Present only when a new secret was entered. */
  clientSecret: string | null;
  /** Present only when a new certificate was entered. */
  certificate: { pem: string; privateKeyPem: string; info: CertificateInfo } | null;
  credentialExpiresAt: Date | null;
  servicePrincipalObjectId: string | null;
}

export type AppRegistrationValidation =
  | { ok: true; value: ValidatedAppRegistration; warnings: Record<string, string> }
  | { ok: false; fieldErrors: Record<string, string>; warnings: Record<string, string> };

const customFieldOf: Record<keyof CustomCloud, string> = {
  loginHost: "customLoginHost",
  graphHost: "customGraphHost",
  outlookDelegatedResource: "customOutlookDelegatedResource",
  exchangeResource: "customExchangeResource",
  graphResource: "customGraphResource",
  imapHost: "customImapHost",
  popHost: "customPopHost",
  smtpHost: "customSmtpHost",
  ewsUrl: "customEwsUrl",
  trustedCaPem: "customTrustedCaPem",
};

/**
 * Runs every check of the form. `existing` says what is stored already, so an edit may leave the
 * credential fields empty to keep the stored secret or certificate.
 */
export function validateAppRegistrationForm(
  form: AppRegistrationForm,
  existing: { credentialType: "secret" | "certificate"; hasSecret: boolean; hasCertificate: boolean } | null,
  now = new Date(),
): AppRegistrationValidation {
  const errors: Record<string, string> = {};
  const warnings: Record<string, string> = {};
  const add = (found: ConfigIssue | null, field?: string) => {
    if (!found) return;
    const key = field ?? found.field ?? "form";
    if (found.severity === "error") errors[key] ??= found.message;
    else warnings[key] ??= found.message;
  };

  add(checkClientId(form.clientId), "clientId");
  add(checkTenant(form.tenant, { clientId: form.clientId }), "tenant");
  if (!errors.tenant) add(checkTenantForAudience(form.tenant, form.audience), "tenant");
  if (form.servicePrincipalObjectId) add(checkEnterpriseAppObjectId(form.servicePrincipalObjectId, { clientId: form.clientId }), "servicePrincipalObjectId");

  let customCloud: CustomCloud | null = null;
  if (form.cloud === "custom") {
    const parsed = customCloudSchema.safeParse({
      loginHost: form.customLoginHost,
      graphHost: form.customGraphHost,
      outlookDelegatedResource: form.customOutlookDelegatedResource,
      exchangeResource: form.customExchangeResource,
      graphResource: form.customGraphResource,
      imapHost: form.customImapHost,
      popHost: form.customPopHost,
      smtpHost: form.customSmtpHost,
      ewsUrl: form.customEwsUrl || null,
      trustedCaPem: form.customTrustedCaPem || null,
    });
    if (parsed.success) customCloud = parsed.data;
    else for (const i of parsed.error.issues) errors[customFieldOf[i.path[0] as keyof CustomCloud]] ??= i.message;
  }

  let expiresAt: Date | null = null;
  if (form.credentialExpiresAt) {
    const d = new Date(`${form.credentialExpiresAt}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.credentialExpiresAt) || Number.isNaN(d.getTime())) errors.credentialExpiresAt = "Enter the date as YYYY-MM-DD.";
    else expiresAt = d;
  }

  let clientSecret: string | null = null;
  let certificate: ValidatedAppRegistration["certificate"] = null;
  if (form.credentialType === "secret") {
    const keepStored = existing?.credentialType === "secret" && existing.hasSecret && form.clientSecret === "";
    if (!keepStored) {
      add(checkClientSecret(form.clientSecret), "clientSecret");
      clientSecret = form.clientSecret;
    }
    if (!errors.credentialExpiresAt) add(checkSecretExpiry(expiresAt, now, "secret"), "credentialExpiresAt");
  } else {
    const keepStored = existing?.credentialType === "certificate" && existing.hasCertificate && !form.certificatePem && !form.privateKeyPem;
    if (!keepStored) {
      if (!form.certificatePem) errors.certificatePem = "Paste the certificate (PEM) you uploaded to the app registration's Certificates & secrets.";
      if (!form.privateKeyPem) errors.privateKeyPem = "Paste the certificate's private key (PEM). It is encrypted at once and never shown again.";
      if (form.certificatePem && form.privateKeyPem) {
        const check = checkCertificateCredential({ certificatePem: form.certificatePem, privateKeyPem: form.privateKeyPem, now });
        for (const i of check.issues) add(i);
        if (check.certificate) {
          certificate = { pem: form.certificatePem, privateKeyPem: form.privateKeyPem, info: check.certificate };
          expiresAt = check.certificate.notAfter;
        }
      }
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors, warnings };
  return {
    ok: true,
    warnings,
    value: {
      label: form.label,
      cloud: form.cloud,
      customCloud,
      tenant: normalizeTenant(form.tenant),
      audience: form.audience,
      clientId: form.clientId.toLowerCase(),
      credentialType: form.credentialType,
      clientSecret,
      certificate,
      credentialExpiresAt: expiresAt,
      servicePrincipalObjectId: form.servicePrincipalObjectId ? form.servicePrincipalObjectId.toLowerCase() : null,
    },
  };
}
