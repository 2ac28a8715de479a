import { z } from "zod";

// Hosts and resource URIs per Microsoft cloud (reference §1.1, §1.3, §2.2). The GCC High, DoD and
// China mail hosts and app-only resources are marked [UNVERIFIED] in the reference: they are
// defaults that an admin can override per mailbox (hosts) or by choosing the custom cloud.

export const cloudIdSchema = z.enum(["global", "usgov-gcchigh", "usgov-dod", "china", "custom"]);
export type CloudId = z.infer<typeof cloudIdSchema>;

export interface CloudEndpoints {
  /** Identity platform host, e.g. login.microsoftonline.com (reference §1.1). */
  loginHost: string;
  /** Microsoft Graph host (reference §1.1). */
  graphHost: string;
  /** Resource of delegated IMAP/POP/SMTP scopes (reference §2.1: https://outlook.office.com/IMAP.AccessAsUser.All). */
  outlookDelegatedResource: string;
  /** Resource of EWS delegated scopes and of every app-only Exchange token (reference §2.1, §2.2). */
  exchangeResource: string;
  /** Resource of Graph scopes. */
  graphResource: string;
  imapHost: string;
  popHost: string;
  smtpHost: string;
  /** EWS endpoint URL, or null where the cloud has none. */
  ewsUrl: string | null;
  /** Hosts are documented by Microsoft (false: community-sourced defaults, reference §1.3). */
  verified: boolean;
}

export const clouds: Record<Exclude<CloudId, "custom">, CloudEndpoints & { label: string }> = {
  global: {
    label: "Global (Microsoft 365, GCC Moderate)",
    loginHost: "login.microsoftonline.com",
    graphHost: "graph.microsoft.com",
    outlookDelegatedResource: "https://outlook.office.com",
    exchangeResource: "https://outlook.office365.com",
    graphResource: "https://graph.microsoft.com",
    imapHost: "outlook.office365.com",
    popHost: "outlook.office365.com",
    smtpHost: "smtp.office365.com",
    ewsUrl: "https://outlook.office365.com/EWS/Exchange.asmx",
    verified: true,
  },
  "usgov-gcchigh": {
    label: "US Government GCC High",
    loginHost: "login.microsoftonline.us",
    graphHost: "graph.microsoft.us",
    outlookDelegatedResource: "https://outlook.office365.us",
    exchangeResource: "https://outlook.office365.us",
    graphResource: "https://graph.microsoft.us",
    imapHost: "outlook.office365.us",
    popHost: "outlook.office365.us",
    smtpHost: "smtp.office365.us",
    ewsUrl: "https://outlook.office365.us/EWS/Exchange.asmx",
    verified: false,
  },
  "usgov-dod": {
    label: "US Government DoD",
    loginHost: "login.microsoftonline.us",
    graphHost: "dod-graph.microsoft.us",
    outlookDelegatedResource: "https://outlook-dod.office365.us",
    exchangeResource: "https://outlook-dod.office365.us",
    graphResource: "https://dod-graph.microsoft.us",
    imapHost: "outlook-dod.office365.us",
    popHost: "outlook-dod.office365.us",
    smtpHost: "outlook-dod.office365.us",
    ewsUrl: "https://outlook-dod.office365.us/EWS/Exchange.asmx",
    verified: false,
  },
  china: {
    label: "China (operated by 21Vianet)",
    loginHost: "login.partner.microsoftonline.cn",
    graphHost: "microsoftgraph.chinacloudapi.cn",
    outlookDelegatedResource: "https://partner.outlook.cn",
    exchangeResource: "https://partner.outlook.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    imapHost: "partner.outlook.cn",
    popHost: "partner.outlook.cn",
    smtpHost: "smtp.partner.outlook.cn",
    ewsUrl: "https://partner.outlook.cn/EWS/Exchange.asmx",
    verified: false,
  },
};

/** Personal Microsoft accounts (Outlook.com) send through their own SMTP host (reference §8). */
export const OUTLOOK_COM_SMTP_HOST = "smtp-mail.outlook.com";

const hostname = z
  .string()
  .trim()
  .min(1, "Enter a host name.")
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i, "Enter a host name such as login.example.com (optionally with :port), without https://.");
const resource = z
  .string()
  .trim()
  .regex(/^https:\/\/[^\s/]+$/i, "Enter a resource URI such as https://outlook.office.com (https, no path).");

/** A custom cloud: every host and resource set by the admin, plus an extra trusted CA (PEM). */
export const customCloudSchema = z.object({
  loginHost: hostname,
  graphHost: hostname,
  outlookDelegatedResource: resource,
  exchangeResource: resource,
  graphResource: resource,
  imapHost: hostname,
  popHost: hostname,
  smtpHost: hostname,
  ewsUrl: z
    .string()
    .trim()
    .regex(/^https:\/\/\S+$/i, "Enter the EWS URL, such as https://mail.example.com/EWS/Exchange.asmx.")
    .nullable(),
  trustedCaPem: z
    .string()
    .trim()
    .refine((v) => v === "" || /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v), "Paste a PEM certificate (-----BEGIN CERTIFICATE----- …).")
    .nullable(),
});
export type CustomCloud = z.infer<typeof customCloudSchema>;

export function endpointsOf(cloud: CloudId, custom: CustomCloud | null): CloudEndpoints {
  if (cloud === "custom") {
    if (!custom) throw new Error("A custom cloud needs its hosts.");
    return { ...custom, verified: false };
  }
  return clouds[cloud];
}

export function cloudLabel(cloud: CloudId): string {
  return cloud === "custom" ? "Custom (hosts set by an admin)" : clouds[cloud].label;
}
