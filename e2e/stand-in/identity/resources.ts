// The two resource applications mail clients talk to: Microsoft Graph and Exchange Online,
// with the permission names of reference §2.1, §2.2 and §2.4.
export type ResourceKey = "graph" | "exchange";

export interface ResourceApp {
  key: ResourceKey;
  /** Reference §2.4: resource application IDs. */
  appId: string;
  displayName: string;
  /** Identifier URIs accepted in a scope prefix, lower case, without trailing slash. */
  identifierUris: string[];
  delegatedScopes: string[];
  appRoles: string[];
}

/** Reference §2.1: OIDC scopes are Microsoft Graph permissions. */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export const GRAPH: ResourceApp = {
  key: "graph",
  appId: "00000003-0000-0000-c000-000000000000",
  displayName: "Microsoft Graph",
  identifierUris: ["https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"],
  delegatedScopes: [
    ...OIDC_SCOPES,
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "Mail.Read",
    "Mail.ReadBasic",
    "Mail.ReadWrite",
    "Mail.Send",
    "Mail.Read.Shared",
    "Mail.ReadWrite.Shared",
    "Mail.Send.Shared",
    // Reference §2.4: the delegated IMAP/POP/SMTP permissions also exist under Graph; a token
    // for them has aud Graph and the mail servers refuse it (reference §2.1, "full URL prefix").
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
    "SMTP.Send",
    "EWS.AccessAsUser.All",
  ],
  appRoles: ["Mail.Read", "Mail.ReadBasic.All", "Mail.ReadWrite", "Mail.Send", "User.Read.All", "Application.Read.All"],
};

export const EXCHANGE: ResourceApp = {
  key: "exchange",
  appId: "00000002-0000-0ff1-ce00-000000000000",
  displayName: "Office 365 Exchange Online",
  // Reference §2.3/§4: Exchange tokens are v1 and their aud is the URI used in the request.
  identifierUris: ["https://outlook.office.com", "https://outlook.office365.com", "https://ps.outlook.com", "00000002-0000-0ff1-ce00-000000000000"],
  delegatedScopes: ["IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "SMTP.Send", "EWS.AccessAsUser.All", "Mail.Read", "Mail.ReadWrite", "Mail.Send"],
  // Reference §2.2: IMAP/POP/SMTP app permissions and full_access_as_app for EWS.
  appRoles: ["IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp", "full_access_as_app", "Mail.Read", "Mail.ReadWrite", "Mail.Send"],
};

export const RESOURCES: ResourceApp[] = [GRAPH, EXCHANGE];

export function resourceByKey(key: ResourceKey): ResourceApp {
  return key === "graph" ? GRAPH : EXCHANGE;
}

export function resourceByUri(uri: string): ResourceApp | undefined {
  const u = uri.toLowerCase().replace(/\/+$/, "");
  return RESOURCES.find((r) => r.identifierUris.includes(u));
}

/** What the consent page says about each permission. */
export const PERMISSION_DESCRIPTIONS: Record<string, string> = {
  openid: "Sign you in",
  profile: "View your basic profile",
  email: "View your email address",
  offline_access: "Maintain access to data you have given it access to",
  "User.Read": "Sign you in and read your profile",
  "User.ReadBasic.All": "Read all users' basic profiles",
  "User.Read.All": "Read all users' full profiles",
  "Mail.Read": "Read your mail",
  "Mail.ReadBasic": "Read user basic mail",
  "Mail.ReadWrite": "Read and write access to your mail",
  "Mail.Send": "Send mail as you",
  "Mail.Read.Shared": "Read user and shared mail",
  "Mail.ReadWrite.Shared": "Read and write user and shared mail",
  "Mail.Send.Shared": "Send mail on behalf of others",
  "IMAP.AccessAsUser.All": "Read and write access to mailboxes via IMAP",
  "POP.AccessAsUser.All": "Read and write access to mailboxes via POP",
  "SMTP.Send": "Send emails from mailboxes using SMTP AUTH",
  "EWS.AccessAsUser.All": "Access mailboxes as the signed-in user via Exchange Web Services",
  "IMAP.AccessAsApp": "IMAP.AccessAsApp",
  "POP.AccessAsApp": "POP.AccessAsApp",
  "SMTP.SendAsApp": "Send emails from mailboxes using SMTP AUTH",
  full_access_as_app: "Use Exchange Web Services with full access to all mailboxes",
  "Mail.ReadBasic.All": "Read basic mail in all mailboxes",
  "Application.Read.All": "Read all applications",
};
