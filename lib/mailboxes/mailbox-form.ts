import { z } from "zod";
import type { AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { checkMailboxAddressForApp, checkModeForTenant, checkPort, checkPortSecurity, checkProtocolForMode, type ConfigIssue } from "@/lib/microsoft/config-checks";
import { isPersonalAccountDomain } from "@/lib/microsoft/personal-account-domains";
import {
  authModeSchema,
  connectionSecuritySchema,
  ewsRetirement,
  ewsRetirementPhase,
  inboundProtocolSchema,
  outboundProtocolSchema,
  serverPresetFor,
  type Protocol,
} from "@/lib/microsoft/protocols";

// The mailbox form as the browser (or a CSV row) sends it, and every check before saving.
// Host, port and security are prefilled from the app registration's cloud and may be overridden.

const text = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());
const email = (message: string) => z.string().trim().toLowerCase().pipe(z.email({ message }));

export const directionSchema = z.enum(["inbound", "outbound", "both"]);
export type MailboxDirection = z.infer<typeof directionSchema>;

export const mailboxFormSchema = z.object({
  address: email("Enter the mailbox's e-mail address, such as helpdesk@contoso.com."),
  displayName: text.pipe(z.string().max(100, "Use at most 100 characters.")),
  direction: directionSchema,
  inboundProtocol: text,
  inboundHost: text,
  inboundPort: text,
  inboundSecurity: text,
  outboundProtocol: text,
  outboundHost: text,
  outboundPort: text,
  outboundSecurity: text,
  authMode: authModeSchema,
  appRegistrationId: z.string().trim().min(1, "Choose the app registration this mailbox authenticates through."),
  signingIdentity: text,
  ownerEmail: text,
  tags: text,
});
export type MailboxForm = z.infer<typeof mailboxFormSchema>;

export interface ServerSetting {
  protocol: Protocol;
  host: string | null;
  port: number | null;
  security: z.infer<typeof connectionSecuritySchema> | null;
}

export interface ValidatedMailbox {
  address: string;
  displayName: string;
  direction: MailboxDirection;
  inbound: ServerSetting | null;
  outbound: ServerSetting | null;
  authMode: z.infer<typeof authModeSchema>;
  accountKind: "work" | "personal";
  appRegistrationId: string;
  signingIdentity: string | null;
  ownerEmail: string | null;
  tags: string[];
}

export type MailboxValidation =
  | { ok: true; value: ValidatedMailbox; warnings: Record<string, string> }
  | { ok: false; fieldErrors: Record<string, string>; warnings: Record<string, string> };

const TAG = /^[a-z0-9][a-z0-9 _.-]{0,39}$/;

export function parseTags(value: string): { tags: string[]; error: string | null } {
  const tags = [...new Set(value.split(/[,;]/).map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (tags.length > 20) return { tags, error: "Use at most 20 tags." };
  const bad = tags.find((t) => !TAG.test(t));
  return { tags, error: bad ? `“${bad}” is not a tag: use letters, digits, spaces, dots, dashes or underscores, up to 40 characters.` : null };
}

export function encodeTags(tags: string[]): string {
  return tags.length ? `,${tags.join(",")},` : ",";
}

export function decodeTags(stored: string): string[] {
  return stored.split(",").filter(Boolean);
}

/** Checks a mailbox against its app registration. Duplicates are checked by the caller (they need the database). */
export function validateMailboxForm(form: MailboxForm, app: AppRegistrationView | null, now = new Date()): MailboxValidation {
  const errors: Record<string, string> = {};
  const warnings: Record<string, string> = {};
  const add = (found: ConfigIssue | null, field: string) => {
    if (!found) return;
    if (found.severity === "error") errors[field] ??= found.message;
    else warnings[field] ??= found.message;
  };
  if (!app) errors.appRegistrationId = "Choose the app registration this mailbox authenticates through.";
  const personal = isPersonalAccountDomain(form.address);

  const side = (dir: "inbound" | "outbound"): ServerSetting | null => {
    const wanted = form.direction === dir || form.direction === "both";
    const protocolRaw = dir === "inbound" ? form.inboundProtocol : form.outboundProtocol;
    if (!wanted) return null;
    const schema = dir === "inbound" ? inboundProtocolSchema : outboundProtocolSchema;
    const parsed = schema.safeParse(protocolRaw);
    if (!parsed.success) {
      errors[`${dir}Protocol`] =
        dir === "inbound" ? "Choose how mail is read: IMAP, POP3, Microsoft Graph or EWS." : "Choose how mail is sent: SMTP, Microsoft Graph or EWS.";
      return null;
    }
    const protocol = parsed.data;
    if (app) add(checkProtocolForMode(protocol, form.authMode, { personalAccount: personal, endpoints: app.endpoints }), `${dir}Protocol`);
    if (protocol === "ews" && !errors[`${dir}Protocol`]) {
      const phase = ewsRetirementPhase(now);
      warnings[`${dir}Protocol`] =
        phase === "shut_down"
          ? `EWS in Exchange Online was shut down on ${ewsRetirement.shutdownOn}. ${ewsRetirement.recommendation}`
          : `${ewsRetirement.headline} ${phase === "disabled_by_default" ? `It is disabled by default since ${ewsRetirement.disabledByDefaultFrom}` : `It will be disabled by default from ${ewsRetirement.disabledByDefaultFrom}`} and shuts down on ${ewsRetirement.shutdownOn}. ${ewsRetirement.recommendation}`;
    }
    if (protocol === "graph" || protocol === "ews") return { protocol, host: null, port: null, security: null };

    const preset = app ? serverPresetFor(protocol, app.endpoints, { personalAccount: personal }) : null;
    const hostRaw = dir === "inbound" ? form.inboundHost : form.outboundHost;
    const portRaw = dir === "inbound" ? form.inboundPort : form.outboundPort;
    const securityRaw = dir === "inbound" ? form.inboundSecurity : form.outboundSecurity;
    const host = hostRaw || preset?.host || "";
    if (!host) errors[`${dir}Host`] = "Enter the server's host name.";
    else if (!/^[a-z0-9.-]+$/i.test(host)) errors[`${dir}Host`] = "Enter a host name such as outlook.office365.com, without a scheme or port.";
    let port = preset?.port ?? 0;
    if (portRaw) {
      port = Number(portRaw);
      if (!/^\d+$/.test(portRaw)) port = -1;
    }
    add(checkPort(port), `${dir}Port`);
    const security = connectionSecuritySchema.safeParse(securityRaw || preset?.security);
    if (!security.success) errors[`${dir}Security`] = "Choose TLS or STARTTLS.";
    else if (!errors[`${dir}Port`]) add(checkPortSecurity(protocol, port, security.data), `${dir}Security`);
    return { protocol, host, port, security: security.success ? security.data : null };
  };
  const inbound = side("inbound");
  const outbound = side("outbound");

  if (app) {
    add(checkModeForTenant(form.authMode, app.tenant, app.audience), "authMode");
    add(checkMailboxAddressForApp(form.address, { audience: app.audience, tenant: app.tenant, mode: form.authMode }), "address");
  }
  let signingIdentity: string | null = null;
  if (form.signingIdentity) {
    const parsed = email("Enter the signing user's address, such as agent@contoso.com.").safeParse(form.signingIdentity);
    if (!parsed.success) errors.signingIdentity = parsed.error.issues[0]!.message;
    else if (form.authMode === "app_only") errors.signingIdentity = "App-only mailboxes have no signing user: the app itself authenticates. Leave this empty, or choose delegated mode.";
    else if (parsed.data !== form.address) signingIdentity = parsed.data;
  }
  let ownerEmail: string | null = null;
  if (form.ownerEmail) {
    const parsed = email("Enter an e-mail address for notifications.").safeParse(form.ownerEmail);
    if (parsed.success) ownerEmail = parsed.data;
    else errors.ownerEmail = parsed.error.issues[0]!.message;
  }
  const tags = parseTags(form.tags);
  if (tags.error) errors.tags = tags.error;

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors, warnings };
  return {
    ok: true,
    warnings,
    value: {
      address: form.address,
      displayName: form.displayName,
      direction: form.direction,
      inbound,
      outbound,
      authMode: form.authMode,
      accountKind: personal ? "personal" : "work",
      appRegistrationId: form.appRegistrationId,
      signingIdentity,
      ownerEmail,
      tags: tags.tags,
    },
  };
}
