import { z } from "zod";
import { clouds, OUTLOOK_COM_SMTP_HOST, type CloudEndpoints } from "@/lib/microsoft/clouds";

// Mail protocols, authentication modes and what each combination allows (reference §1.3, §4, §8).

export const inboundProtocolSchema = z.enum(["imap", "pop3", "graph", "ews"]);
export type InboundProtocol = z.infer<typeof inboundProtocolSchema>;

export const outboundProtocolSchema = z.enum(["smtp", "graph", "ews"]);
export type OutboundProtocol = z.infer<typeof outboundProtocolSchema>;

export const protocolSchema = z.enum(["imap", "pop3", "smtp", "graph", "ews"]);
export type Protocol = z.infer<typeof protocolSchema>;

export const authModeSchema = z.enum(["delegated", "app_only"]);
export type AuthMode = z.infer<typeof authModeSchema>;

export const directionSchema = z.enum(["inbound", "outbound"]);
export type Direction = z.infer<typeof directionSchema>;

/** One protocol used in one direction: Graph and EWS need different permissions for reading and sending. */
export const protocolUseSchema = z.discriminatedUnion("direction", [
  z.object({ direction: z.literal("inbound"), protocol: inboundProtocolSchema }),
  z.object({ direction: z.literal("outbound"), protocol: outboundProtocolSchema }),
]);
export type ProtocolUse = z.infer<typeof protocolUseSchema>;

export const connectionSecuritySchema = z.enum(["tls", "starttls"]);
export type ConnectionSecurity = z.infer<typeof connectionSecuritySchema>;

export const protocolLabels: Record<Protocol, string> = {
  imap: "IMAP",
  pop3: "POP3",
  smtp: "SMTP",
  graph: "Microsoft Graph",
  ews: "Exchange Web Services (EWS)",
};

export const authModeLabels: Record<AuthMode, string> = {
  delegated: "Delegated (a user signs in and consents)",
  app_only: "App-only (client credentials, admin consent)",
};

export const connectionSecurityLabels: Record<ConnectionSecurity, string> = {
  tls: "TLS from the first byte (implicit TLS)",
  starttls: "STARTTLS after connecting",
};

/** Reference §1.3: IMAP 993 and POP 995 with TLS, SMTP 587 with STARTTLS; Graph and EWS are HTTPS. */
export const defaultPorts: Record<Protocol, { port: number; security: ConnectionSecurity }> = {
  imap: { port: 993, security: "tls" },
  pop3: { port: 995, security: "tls" },
  smtp: { port: 587, security: "starttls" },
  graph: { port: 443, security: "tls" },
  ews: { port: 443, security: "tls" },
};

export interface ServerPreset {
  host: string;
  port: number;
  security: ConnectionSecurity;
  /** Base URL for the HTTPS protocols (Graph: https://graph.microsoft.com/v1.0, EWS: the Exchange.asmx URL); null for IMAP/POP3/SMTP. */
  url: string | null;
}

/** A custom cloud may give `host:port` (a local stand-in); Microsoft's clouds give bare host names. */
export function splitHostPort(value: string, defaultPort: number): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (match && match[1] && !match[1].includes(":")) return { host: match[1], port: Number(match[2]) };
  return { host: value, port: defaultPort };
}

/**
 * Host, port and security a mailbox starts with (the admin can override them).
 * Personal accounts send through smtp-mail.outlook.com instead of smtp.office365.com (reference §8);
 * a custom cloud keeps the SMTP host its admin set. Returns null where the cloud has no such endpoint (EWS).
 */
export function serverPresetFor(protocol: Protocol, endpoints: CloudEndpoints, options: { personalAccount: boolean } = { personalAccount: false }): ServerPreset | null {
  const { port: defaultPort, security } = defaultPorts[protocol];
  switch (protocol) {
    case "imap":
      return { ...splitHostPort(endpoints.imapHost, defaultPort), security, url: null };
    case "pop3":
      return { ...splitHostPort(endpoints.popHost, defaultPort), security, url: null };
    case "smtp": {
      const smtpHost = options.personalAccount && endpoints.smtpHost === clouds.global.smtpHost ? OUTLOOK_COM_SMTP_HOST : endpoints.smtpHost;
      return { ...splitHostPort(smtpHost, defaultPort), security, url: null };
    }
    case "graph":
      return { ...splitHostPort(endpoints.graphHost, defaultPort), security, url: `https://${endpoints.graphHost}/v1.0` };
    case "ews": {
      if (endpoints.ewsUrl === null) return null;
      const url = new URL(endpoints.ewsUrl);
      return { host: url.hostname, port: url.port === "" ? defaultPort : Number(url.port), security, url: endpoints.ewsUrl };
    }
  }
}

export type Availability = { available: true } | { available: false; reason: string };

/**
 * Whether a protocol can be used in a mode. Personal Microsoft accounts: delegated only and no EWS OAuth
 * (reference §8); EWS needs an EWS endpoint in the cloud (reference §1.3: none for Outlook.com).
 */
export function protocolAvailability(protocol: Protocol, mode: AuthMode, context: { personalAccount: boolean; endpoints?: CloudEndpoints }): Availability {
  if (context.personalAccount && mode === "app_only") {
    return { available: false, reason: "Personal Microsoft accounts (Outlook.com) have no app-only access: client credentials, service principals and RBAC apply only to work or school mailboxes. Use delegated mode." };
  }
  if (protocol === "ews" && context.personalAccount) {
    return { available: false, reason: "Outlook.com mailboxes have no EWS with OAuth. Use IMAP, POP3, SMTP or Microsoft Graph." };
  }
  if (protocol === "ews" && context.endpoints && context.endpoints.ewsUrl === null) {
    return { available: false, reason: "This cloud has no EWS endpoint. Use Microsoft Graph, or set the EWS URL of the custom cloud." };
  }
  return { available: true };
}

export function availableProtocols(mode: AuthMode, context: { personalAccount: boolean; endpoints?: CloudEndpoints }): Protocol[] {
  return protocolSchema.options.filter((p) => protocolAvailability(p, mode, context).available);
}

/** The protocol uses of a mailbox from its inbound and outbound choice. */
export function protocolUsesOf(mailbox: { inbound?: InboundProtocol | null; outbound?: OutboundProtocol | null }): ProtocolUse[] {
  const uses: ProtocolUse[] = [];
  if (mailbox.inbound) uses.push({ direction: "inbound", protocol: mailbox.inbound });
  if (mailbox.outbound) uses.push({ direction: "outbound", protocol: mailbox.outbound });
  return uses;
}

/**
 * EWS retirement in Exchange Online (reference §4, from [X4] and MC1227454): tenants left at EWSEnabled=Null
 * become False from 2026-10-01; EWSEnabled=True plus EWSAllowedAppIDs (set by the end of August 2026) keeps it
 * running until the permanent shutdown on 2027-04-01. Build on Graph.
 */
export const ewsRetirement = {
  disabledByDefaultFrom: "2026-10-01",
  allowListDeadline: "2026-08-31",
  shutdownOn: "2027-04-01",
  alternative: "graph" as Protocol,
  headline: "Microsoft is retiring EWS in Exchange Online.",
  details: [
    "From 2026-10-01 Microsoft disables EWS in tenants that have not decided (EWSEnabled=Null becomes False).",
    "An admin can keep it running until the shutdown by setting EWSEnabled=True and listing this app in EWSAllowedAppIDs (by the end of August 2026).",
    "On 2027-04-01 EWS in Exchange Online shuts down for good.",
  ],
  recommendation: "Use Microsoft Graph instead: it reads and sends mail with the same app registration.",
  source: "reference §4",
} as const;

export type EwsRetirementPhase = "before_disablement" | "disabled_by_default" | "shut_down";

export function ewsRetirementPhase(now: Date): EwsRetirementPhase {
  const day = now.toISOString().slice(0, 10);
  if (day >= ewsRetirement.shutdownOn) return "shut_down";
  if (day >= ewsRetirement.disabledByDefaultFrom) return "disabled_by_default";
  return "before_disablement";
}
