import type { AuthMode, ProtocolUse } from "@/lib/microsoft/protocols";
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID, type ResourceApiName } from "@/lib/microsoft/resource-apps";

// The API permissions an admin adds to the app registration in the Azure portal for the protocols its
// mailboxes use, with the GUIDs of reference §2.4 (for the manifest) and where each one is found.
//
// The reference warns that most GUIDs come from community dumps of Microsoft's service principals ([C1]),
// cross-checked across several sources, and that resolving them at runtime
// (GET /servicePrincipals(appId='…')?$select=appRoles,oauth2PermissionScopes) is safer. That call needs a Graph
// token with Application.Read.All, which the portal does not have when the admin reads the setup guide, so the
// values are listed here with their source; the admin picks permissions by name in the portal anyway.

export type PermissionType = "Delegated" | "Application";

export interface PermissionRow {
  api: ResourceApiName;
  apiAppId: string;
  permission: string;
  type: PermissionType;
  /** The permission's GUID, for the manifest's requiredResourceAccess (reference §2.4). */
  id: string;
  /** "X3": documented by Microsoft; "C1": community dumps cross-checked across sources (reference §2.4). */
  idSource: "X3" | "C1";
  /** Where to find it in the Azure portal, for an admin with the portal open beside the guide. */
  where: string;
  /** Application permissions always need admin consent; the delegated mail ones are user-consentable. */
  adminConsentRequired: boolean;
  /** What it is for, e.g. "IMAP (read mail)". */
  neededFor: string[];
  note?: string;
}

type RowSpec = Omit<PermissionRow, "neededFor">;

const ADD = "Azure portal → Microsoft Entra ID → App registrations → your app → API permissions → Add a permission";
const GRAPH_DELEGATED = `${ADD} → Microsoft Graph → Delegated permissions`;
const GRAPH_APPLICATION = `${ADD} → Microsoft Graph → Application permissions`;
const EXO = `${ADD} → APIs my organization uses → search “Office 365 Exchange Online” (some tenants show “Microsoft 365 Exchange Online”)`;

function graphScope(permission: string, id: string, where: string): RowSpec {
  return { api: "Microsoft Graph", apiAppId: MICROSOFT_GRAPH_APP_ID, permission, type: "Delegated", id, idSource: "C1", where, adminConsentRequired: false };
}

/** Reference §2.4. The delegated IMAP/POP/SMTP permissions appear under Microsoft Graph in the portal [I1]. */
export const permissionCatalog = {
  openid: graphScope("openid", "37f7f235-527c-4136-accd-4a02d197296e", `${GRAPH_DELEGATED} → OpenId permissions → openid`),
  profile: graphScope("profile", "14dad69e-099b-42c9-810b-d002981feec1", `${GRAPH_DELEGATED} → OpenId permissions → profile`),
  email: graphScope("email", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", `${GRAPH_DELEGATED} → OpenId permissions → email`),
  offline_access: graphScope("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", `${GRAPH_DELEGATED} → OpenId permissions → offline_access`),
  imapDelegated: graphScope("IMAP.AccessAsUser.All", "652390e4-393a-48de-9484-05f9b1212954", `${GRAPH_DELEGATED} → search “IMAP” → IMAP.AccessAsUser.All`),
  popDelegated: graphScope("POP.AccessAsUser.All", "d7b7f2d9-0f45-4ea1-9d42-e50810c06991", `${GRAPH_DELEGATED} → search “POP” → POP.AccessAsUser.All`),
  smtpDelegated: graphScope("SMTP.Send", "258f6531-6087-4cc4-bb90-092c5fb3ed3f", `${GRAPH_DELEGATED} → search “SMTP” → SMTP.Send`),
  graphMailReadDelegated: graphScope("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", `${GRAPH_DELEGATED} → Mail → Mail.Read`),
  graphMailSendDelegated: graphScope("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0", `${GRAPH_DELEGATED} → Mail → Mail.Send`),
  // Not in reference §2.4; same kind of community dumps (checked in 8+ public files): needed for a shared mailbox over Graph.
  graphMailReadSharedDelegated: graphScope("Mail.Read.Shared", "7b9103a5-4610-446b-9670-80643382c1fa", `${GRAPH_DELEGATED} → Mail → Mail.Read.Shared`),
  graphMailSendSharedDelegated: graphScope("Mail.Send.Shared", "a367ab51-6b49-43bf-a716-a1fb06d2a174", `${GRAPH_DELEGATED} → Mail → Mail.Send.Shared`),
  ewsDelegated: {
    api: "Office 365 Exchange Online",
    apiAppId: EXCHANGE_ONLINE_APP_ID,
    permission: "EWS.AccessAsUser.All",
    type: "Delegated",
    id: "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5",
    idSource: "X3",
    where: `${EXO} → Delegated permissions → EWS → EWS.AccessAsUser.All`,
    adminConsentRequired: false,
    note: "Microsoft Graph lists an EWS.AccessAsUser.All too; Microsoft's EWS guide uses this one under Office 365 Exchange Online.",
  },
  imapApp: exoRole("IMAP.AccessAsApp", "5e5addcd-3e8d-4e90-baf5-964efab2b20a", "search “AccessAsApp” → IMAP.AccessAsApp"),
  popApp: exoRole("POP.AccessAsApp", "cb842b43-da6e-4506-86fe-bb12199c656d", "search “AccessAsApp” → POP.AccessAsApp"),
  smtpApp: {
    ...exoRole("SMTP.SendAsApp", "7146a1f0-8703-45b3-9eae-527a64c00995", "search “SMTP” → SMTP.SendAsApp"),
    note: "Only two sources for this GUID (reference §2.4, [UNVERIFIED]): if the manifest refuses it, add the permission by name. If you restrict SMTP with RBAC for Applications, add no Entra permission for SMTP at all (reference §4).",
  },
  ewsApp: exoRole("full_access_as_app", "dc890d15-9560-4a4c-9b7f-a736ec74ec40", "search “full_access_as_app” → full_access_as_app", "X3"),
  graphMailReadApp: graphRole("Mail.Read", "810c84a8-4a9e-49e6-bf7d-12d183f40d01"),
  graphMailSendApp: graphRole("Mail.Send", "b633e1c5-b582-4048-a93e-9f11b44c7e96"),
} satisfies Record<string, RowSpec>;

function exoRole(permission: string, id: string, path: string, idSource: "X3" | "C1" = "C1"): RowSpec {
  return {
    api: "Office 365 Exchange Online",
    apiAppId: EXCHANGE_ONLINE_APP_ID,
    permission,
    type: "Application",
    id,
    idSource,
    where: `${EXO} → Application permissions → ${path}`,
    adminConsentRequired: true,
  };
}

function graphRole(permission: string, id: string): RowSpec {
  return {
    api: "Microsoft Graph",
    apiAppId: MICROSOFT_GRAPH_APP_ID,
    permission,
    type: "Application",
    id,
    idSource: "C1",
    where: `${GRAPH_APPLICATION} → Mail → ${permission}`,
    adminConsentRequired: true,
  };
}

type PermissionKey = keyof typeof permissionCatalog;

function purposeOf(use: ProtocolUse): string {
  switch (use.protocol) {
    case "imap":
      return "IMAP (read mail)";
    case "pop3":
      return "POP3 (read mail)";
    case "smtp":
      return "SMTP (send mail)";
    case "graph":
      return use.direction === "inbound" ? "Microsoft Graph (read mail)" : "Microsoft Graph (send mail)";
    case "ews":
      return use.direction === "inbound" ? "EWS (read mail)" : "EWS (send mail)";
  }
}

function keysFor(use: ProtocolUse, mode: AuthMode, sharedMailbox: boolean): PermissionKey[] {
  if (mode === "delegated") {
    switch (use.protocol) {
      case "imap":
        return ["imapDelegated"];
      case "pop3":
        return ["popDelegated"];
      case "smtp":
        return ["smtpDelegated"];
      case "ews":
        return ["ewsDelegated"];
      case "graph":
        if (use.direction === "inbound") return sharedMailbox ? ["graphMailReadDelegated", "graphMailReadSharedDelegated"] : ["graphMailReadDelegated"];
        return sharedMailbox ? ["graphMailSendDelegated", "graphMailSendSharedDelegated"] : ["graphMailSendDelegated"];
    }
  }
  switch (use.protocol) {
    case "imap":
      return ["imapApp"];
    case "pop3":
      return ["popApp"];
    case "smtp":
      return ["smtpApp"];
    case "ews":
      return ["ewsApp"];
    case "graph":
      return use.direction === "inbound" ? ["graphMailReadApp"] : ["graphMailSendApp"];
  }
}

export interface PermissionNeed {
  uses: ProtocolUse[];
  mode: AuthMode;
  /** Delegated access to a shared mailbox (signing identity ≠ mailbox). */
  sharedMailbox?: boolean;
  /**
   * App-only mailboxes restricted with RBAC for Applications: Exchange grants Graph, EWS and SMTP through the
   * role assignments, and a tenant-wide Entra permission would make the restriction void (reference §4), so
   * only IMAP/POP keep their application permissions.
   */
  rbacForApplications?: boolean;
}

/**
 * The permission rows for mailboxes of an app registration. Delegated needs add openid, profile, email and
 * offline_access (reference §2.1: no refresh token without offline_access). Rows are unique by API, type and
 * permission, in a stable order: delegated first (OIDC, then protocols), then application.
 */
export function requiredPermissions(needs: PermissionNeed[]): PermissionRow[] {
  const rows = new Map<PermissionKey, PermissionRow>();
  const add = (key: PermissionKey, purpose: string): void => {
    const row = rows.get(key) ?? { ...permissionCatalog[key], neededFor: [] };
    if (!row.neededFor.includes(purpose)) row.neededFor.push(purpose);
    rows.set(key, row);
  };
  for (const need of needs) {
    if (need.mode !== "delegated" || need.uses.length === 0) continue;
    for (const key of ["openid", "profile", "email", "offline_access"] as const) {
      add(key, key === "offline_access" ? "Refresh tokens (staying connected)" : "Knowing which account signed in");
    }
  }
  for (const mode of ["delegated", "app_only"] as const) {
    for (const need of needs) {
      if (need.mode !== mode) continue;
      for (const use of need.uses) {
        if (mode === "app_only" && need.rbacForApplications && use.protocol !== "imap" && use.protocol !== "pop3") continue;
        for (const key of keysFor(use, mode, need.sharedMailbox ?? false)) add(key, purposeOf(use));
      }
    }
  }
  return [...rows.values()];
}

/** Shorthand for one kind of mailbox: the rows for these uses in one mode. */
export function permissionsFor(uses: ProtocolUse[], mode: AuthMode, options: { sharedMailbox?: boolean; rbacForApplications?: boolean } = {}): PermissionRow[] {
  return requiredPermissions([{ uses, mode, ...options }]);
}
