import { z } from "zod";
import { tenantKind } from "@/lib/microsoft/authority";
import { parseCertificatePem, parsePrivateKeyPem, privateKeyMatchesCertificate, type CertificateInfo } from "@/lib/microsoft/certificate";
import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { domainOf, isPersonalAccountDomain } from "@/lib/microsoft/personal-account-domains";
import { defaultPorts, protocolAvailability, protocolLabels, type AuthMode, type ConnectionSecurity, type Protocol } from "@/lib/microsoft/protocols";

// Checks the configuration form runs before saving. Each issue says what to do; "error" blocks saving,
// "warning" is shown but lets the admin go on. Field names are suggestions for placing the message.

export type Severity = "error" | "warning";

export interface ConfigIssue {
  code: string;
  severity: Severity;
  field?: string;
  message: string;
}

/** Who may sign in to the app (the app registration's "Supported account types" / signInAudience). */
export const appAudienceSchema = z.enum(["single_tenant", "multi_tenant", "multi_tenant_and_personal", "personal_only"]);
export type AppAudience = z.infer<typeof appAudienceSchema>;

export const signInAudienceOf: Record<AppAudience, string> = {
  single_tenant: "AzureADMyOrg",
  multi_tenant: "AzureADMultipleOrgs",
  multi_tenant_and_personal: "AzureADandPersonalMicrosoftAccount",
  personal_only: "PersonalMicrosoftAccount",
};

const acceptsPersonal = (a: AppAudience): boolean => a === "multi_tenant_and_personal" || a === "personal_only";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value.trim());
}

const issue = (code: string, severity: Severity, message: string, field?: string): ConfigIssue => ({ code, severity, message, ...(field ? { field } : {}) });

/** Application (client) ID: a GUID from the app registration's Overview page. */
export function checkClientId(value: string): ConfigIssue | null {
  if (isGuid(value)) return null;
  return issue(
    "client_id_not_guid",
    "error",
    "Copy the Application (client) ID from the app registration's Overview page: it looks like 1b2c3d4e-0000-4000-8000-123456789abc.",
    "clientId",
  );
}

/** The tenant: a GUID, a verified domain, or organizations / common / consumers (reference §1.2). */
export function checkTenant(value: string, context: { clientId?: string } = {}): ConfigIssue | null {
  if (tenantKind(value) === "invalid") {
    return issue(
      "tenant_invalid",
      "error",
      "Enter the Directory (tenant) ID from the app registration's Overview page (a GUID), a verified domain such as contoso.onmicrosoft.com, or organizations, common or consumers.",
      "tenant",
    );
  }
  if (context.clientId && value.trim().toLowerCase() === context.clientId.trim().toLowerCase()) {
    return issue("tenant_is_client_id", "error", "This is the Application (client) ID. Copy the Directory (tenant) ID, shown just below it on the Overview page.", "tenant");
  }
  return null;
}

/**
 * A client secret shaped like a GUID is the secret's ID, not its value (field lessons #4, AADSTS7000215).
 * Azure shows the Value only once, right after the secret is created.
 */
export function checkClientSecret(secret: string): ConfigIssue | null {
  if (secret.length === 0) return issue("secret_empty", "error", "Paste the client secret's Value from Certificates & secrets.", "clientSecret");
  if (isGuid(secret)) {
    return issue(
      "secret_is_secret_id",
      "error",
      "This looks like the secret's ID. Copy the secret's Value column instead; Azure shows it only once, right after you create the secret.",
      "clientSecret",
    );
  }
  if (secret !== secret.trim()) {
    return issue("secret_whitespace", "error", "The secret starts or ends with a space or line break. Paste the Value exactly as Azure shows it.", "clientSecret");
  }
  return null;
}

/**
 * The tenant an app signs in with must fit who the app accepts (reference §1.2, §8): a single-tenant app on
 * /common, /organizations or /consumers fails with AADSTS50194; a work-only app on /consumers with AADSTS9002332.
 */
export function checkTenantForAudience(tenant: string, audience: AppAudience): ConfigIssue | null {
  const kind = tenantKind(tenant);
  if (kind === "invalid") return null;
  const generic = kind === "organizations" || kind === "common" || kind === "consumers";
  if (audience === "single_tenant" && generic) {
    return issue(
      "single_tenant_generic_authority",
      "error",
      `A single-tenant app can't sign in through "${kind}": Microsoft answers AADSTS50194. Enter the app's Directory (tenant) ID, or make the app multi-tenant under Authentication → Supported account types.`,
      "tenant",
    );
  }
  if (!acceptsPersonal(audience) && kind === "consumers") {
    return issue(
      "work_app_on_consumers",
      "error",
      "\"consumers\" signs in personal Microsoft accounts only, and this app accepts work or school accounts only (AADSTS9002332). Use organizations or the tenant ID, or change the app's Supported account types to include personal accounts.",
      "tenant",
    );
  }
  if (audience === "personal_only" && kind !== "consumers") {
    return issue(
      "personal_app_not_on_consumers",
      "error",
      "An app for personal Microsoft accounts only signs in through \"consumers\". Set the tenant to consumers.",
      "tenant",
    );
  }
  if (audience === "multi_tenant" && kind === "common") {
    return issue(
      "work_app_on_common",
      "warning",
      "\"common\" also offers personal Microsoft accounts, which this app does not accept. Use organizations so the sign-in page asks for a work or school account.",
      "tenant",
    );
  }
  return null;
}

/**
 * App-only (client credentials) needs a specific tenant: no personal accounts (reference §8), and no
 * /common or /organizations (AADSTS9001023, reference §1.2).
 */
export function checkModeForTenant(mode: AuthMode, tenant: string, audience?: AppAudience): ConfigIssue | null {
  if (mode !== "app_only") return null;
  const kind = tenantKind(tenant);
  if (kind === "consumers" || audience === "personal_only") {
    return issue(
      "app_only_personal",
      "error",
      "Personal Microsoft accounts have no app-only access (no client credentials, service principals or RBAC). Use delegated mode, where the mailbox owner signs in.",
      "authMode",
    );
  }
  if (kind === "organizations" || kind === "common") {
    return issue(
      "app_only_generic_tenant",
      "error",
      `App-only tokens are issued by one tenant: "${kind}" fails (AADSTS9001023). Enter the tenant ID or domain of the organisation whose mailboxes these are.`,
      "tenant",
    );
  }
  return null;
}

/** A personal-account address (outlook.com, hotmail.co.uk, …) on an app that accepts work accounts only. */
export function checkMailboxAddressForApp(address: string, context: { audience: AppAudience; tenant: string; mode: AuthMode }): ConfigIssue | null {
  if (!isPersonalAccountDomain(address)) return null;
  const domain = domainOf(address);
  if (context.mode === "app_only") {
    return issue(
      "personal_mailbox_app_only",
      "error",
      `${domain} is a personal Microsoft account (Outlook.com). It has no app-only access: choose delegated mode, where the owner signs in.`,
      "address",
    );
  }
  const kind = tenantKind(context.tenant);
  if (!acceptsPersonal(context.audience) || (kind !== "common" && kind !== "consumers")) {
    return issue(
      "personal_mailbox_work_app",
      "error",
      `${domain} is a personal Microsoft account (Outlook.com), and this app registration accepts only work or school accounts. Use an app registration whose Supported account types include personal Microsoft accounts, with the tenant set to common or consumers.`,
      "address",
    );
  }
  return null;
}

/** A protocol impossible in the chosen mode (reference §8: personal accounts are delegated only, no EWS). */
export function checkProtocolForMode(protocol: Protocol, mode: AuthMode, context: { personalAccount: boolean; endpoints?: CloudEndpoints }): ConfigIssue | null {
  const availability = protocolAvailability(protocol, mode, context);
  return availability.available ? null : issue("protocol_not_available", "error", availability.reason, "protocol");
}

export function checkPort(port: number): ConfigIssue | null {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return null;
  return issue("port_out_of_range", "error", "Enter a port between 1 and 65535.", "port");
}

/** 993/995 speak TLS from the first byte, 587 starts in plain text and upgrades with STARTTLS (reference §1.3). */
export function checkPortSecurity(protocol: Protocol, port: number, security: ConnectionSecurity): ConfigIssue | null {
  const implicit = [993, 995, 465, 443];
  const starttls = [587, 143, 110, 25];
  if (security === "starttls" && implicit.includes(port)) {
    return issue("security_mismatch", "warning", `Port ${port} expects TLS from the first byte; STARTTLS on it hangs or fails. Choose TLS, or the port for STARTTLS.`, "security");
  }
  if (security === "tls" && starttls.includes(port)) {
    return issue(
      "security_mismatch",
      "warning",
      `Port ${port} starts in plain text and upgrades with STARTTLS; a TLS handshake on it fails.${protocol === "smtp" ? ` Choose STARTTLS (Microsoft 365 SMTP is ${defaultPorts.smtp.port} with STARTTLS).` : " Choose STARTTLS."}`,
      "security",
    );
  }
  return null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_SECRET_MONTHS = 24;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Expired: error; within 30 days: warning (field lessons #3). Portal-made secrets last at most 24 months (reference §5). */
export function checkSecretExpiry(expiresAt: Date | null, now: Date, what: "secret" | "certificate" = "secret"): ConfigIssue | null {
  const field = what === "secret" ? "credentialExpiresAt" : "certificatePem";
  if (expiresAt === null) {
    return what === "secret"
      ? issue("secret_expiry_unknown", "warning", "Enter the secret's expiry date (the Expires column in Certificates & secrets) so the portal can warn you before it runs out.", field)
      : null;
  }
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) {
    return issue(
      `${what}_expired`,
      "error",
      what === "secret"
        ? `The client secret expired on ${isoDay(expiresAt)} (AADSTS7000222). Create a new secret under Certificates & secrets and paste its Value, or switch to a certificate.`
        : `The certificate expired on ${isoDay(expiresAt)}. Upload a new certificate to the app registration and paste it here with its private key.`,
      field,
    );
  }
  if (left <= 30 * DAY_MS) {
    const days = Math.ceil(left / DAY_MS);
    return issue(
      `${what}_expiring`,
      "warning",
      `The ${what === "secret" ? "client secret" : "certificate"} expires in ${days} day${days === 1 ? "" : "s"}, on ${isoDay(expiresAt)}. Create a new one now and replace it here before then.`,
      field,
    );
  }
  if (what === "secret") {
    const cap = new Date(now);
    cap.setUTCMonth(cap.getUTCMonth() + MAX_SECRET_MONTHS);
    if (expiresAt.getTime() > cap.getTime() + DAY_MS) {
      return issue(
        "secret_expiry_beyond_cap",
        "warning",
        `Secrets created in the Azure portal last at most ${MAX_SECRET_MONTHS} months. Check the Expires column in Certificates & secrets and enter that date.`,
        field,
      );
    }
  }
  return null;
}

export interface CertificateCheck {
  certificate: CertificateInfo | null;
  issues: ConfigIssue[];
}

/** The certificate credential: readable, RSA, in its validity period, and the private key belongs to it. */
export function checkCertificateCredential(input: { certificatePem: string; privateKeyPem: string; now: Date }): CertificateCheck {
  const issues: ConfigIssue[] = [];
  const parsed = parseCertificatePem(input.certificatePem);
  if (!parsed.ok) issues.push(issue("certificate_unreadable", "error", parsed.message, "certificatePem"));
  const key = parsePrivateKeyPem(input.privateKeyPem);
  if (!key.ok) issues.push(issue("private_key_unreadable", "error", key.message, "privateKeyPem"));
  if (!parsed.ok) return { certificate: null, issues };
  const cert = parsed.certificate;
  if (cert.keyType !== "rsa") {
    issues.push(issue("certificate_not_rsa", "error", `The certificate has a ${cert.keyType.toUpperCase()} key; Microsoft Entra client assertions are signed with RSA. Create an RSA certificate (2048 bits or more).`, "certificatePem"));
  } else if (cert.keyBits !== null && cert.keyBits < 2048) {
    issues.push(issue("certificate_key_too_small", "error", `The certificate's RSA key has ${cert.keyBits} bits. Create one with 2048 bits or more.`, "certificatePem"));
  }
  if (cert.notBefore.getTime() > input.now.getTime()) {
    issues.push(issue("certificate_not_yet_valid", "error", `The certificate is valid only from ${isoDay(cert.notBefore)}. Check the computer's clock or use a certificate that is valid now.`, "certificatePem"));
  }
  const expiry = checkSecretExpiry(cert.notAfter, input.now, "certificate");
  if (expiry) issues.push(expiry);
  if (key.ok && !privateKeyMatchesCertificate(input.certificatePem, key.key)) {
    issues.push(issue("private_key_mismatch", "error", "The private key does not belong to this certificate. Paste the key that was created together with it.", "privateKeyPem"));
  }
  return { certificate: cert, issues };
}

/** The Enterprise application's Object ID (reference §4): a GUID that is neither the client ID nor the app registration's object ID. */
export function checkEnterpriseAppObjectId(value: string, context: { clientId?: string; appRegistrationObjectId?: string }): ConfigIssue | null {
  if (value.trim() === "") return null;
  const wrongPlace =
    "Copy the Object ID from Microsoft Entra ID → Enterprise applications → the app → Overview (not from App registrations).";
  if (!isGuid(value)) return issue("object_id_not_guid", "error", `${wrongPlace} It looks like 1b2c3d4e-0000-4000-8000-123456789abc.`, "enterpriseAppObjectId");
  const v = value.trim().toLowerCase();
  if (context.clientId && v === context.clientId.trim().toLowerCase()) {
    return issue("object_id_is_client_id", "error", `This is the Application (client) ID. ${wrongPlace}`, "enterpriseAppObjectId");
  }
  if (context.appRegistrationObjectId && v === context.appRegistrationObjectId.trim().toLowerCase()) {
    return issue("object_id_is_app_registration", "error", `This is the app registration's Object ID; Exchange needs the service principal's. ${wrongPlace}`, "enterpriseAppObjectId");
  }
  return null;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The redirect URI shown in the setup guide: Microsoft accepts http only for localhost, never a fragment, and it
 * must match byte for byte what the browser comes back to (field lessons #6, AADSTS50011).
 */
export function checkRedirectUri(uri: string, context: { browsingOrigin?: string } = {}): ConfigIssue[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [issue("redirect_uri_invalid", "error", "The redirect URI must be an absolute URL such as https://portal.example.com/oauth/callback. Set the portal's public base URL.", "redirectUri")];
  }
  const issues: ConfigIssue[] = [];
  if (url.hash) issues.push(issue("redirect_uri_fragment", "error", "A redirect URI can't contain a # fragment. Remove it from the public base URL.", "redirectUri"));
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) {
    issues.push(
      issue(
        "redirect_uri_http",
        "error",
        `Microsoft accepts http redirect URIs only for localhost. Serve the portal over https and set its public base URL to https://${url.host}; behind a reverse proxy, make sure it forwards X-Forwarded-Proto.`,
        "redirectUri",
      ),
    );
  } else if (url.protocol !== "http:" && url.protocol !== "https:") {
    issues.push(issue("redirect_uri_scheme", "error", "The redirect URI must start with https://.", "redirectUri"));
  }
  if (context.browsingOrigin) {
    let origin: string | null = null;
    try {
      origin = new URL(context.browsingOrigin).origin;
    } catch {
      origin = null;
    }
    if (origin !== null && origin !== url.origin) {
      issues.push(
        issue(
          "redirect_uri_other_origin",
          "warning",
          `You are browsing ${origin}, but the redirect URI points to ${url.origin}. After signing in, Microsoft sends the browser to ${url.origin}; if that is not this portal, fix the public base URL.`,
          "redirectUri",
        ),
      );
    }
  }
  return issues;
}
