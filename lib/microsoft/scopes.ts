import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { protocolLabels, type AuthMode, type Protocol, type ProtocolUse } from "@/lib/microsoft/protocols";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/microsoft/resource-apps";

// Which token each protocol needs: resource, scopes, audience and the scp/roles values it must carry
// (reference §2.1–§2.3). One token is for one resource; the OIDC scopes may join any of them.

/** Reference §2.1: without offline_access there is no refresh token. */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export interface UseOptions {
  /**
   * The signed-in user reads or sends for another (shared) mailbox. Graph then needs Mail.Read.Shared /
   * Mail.Send.Shared; IMAP/POP/SMTP/EWS need no other scope, only FullAccess/SendAs on the mailbox (reference §3).
   */
  sharedMailbox?: boolean;
}

/** A value the token's scp or roles must contain; any of `satisfiedBy` will do (Mail.ReadWrite covers Mail.Read). */
export interface ClaimRequirement {
  name: string;
  satisfiedBy: string[];
}

export interface TokenRequirement {
  use: ProtocolUse;
  mode: AuthMode;
  /** The resource the token is requested for, e.g. https://outlook.office.com. */
  resource: string;
  /** The aud the token must carry (reference §2.3: v1 Exchange tokens carry the resource URI used in the request). */
  audience: string;
  acceptedAudiences: string[];
  /** Delegated: full scope strings (reference §2.1); app-only: `<resource>/.default` (reference §2.2). */
  scopes: string[];
  /** Where the permission appears in the token: scp (delegated, space-separated) or roles (app-only). */
  claim: "scp" | "roles";
  required: ClaimRequirement[];
}

const exactly = (name: string): ClaimRequirement => ({ name, satisfiedBy: [name] });
const mailRead: ClaimRequirement = { name: "Mail.Read", satisfiedBy: ["Mail.Read", "Mail.ReadWrite"] };
const mailReadShared: ClaimRequirement = { name: "Mail.Read.Shared", satisfiedBy: ["Mail.Read.Shared", "Mail.ReadWrite.Shared"] };

function trimSlash(uri: string): string {
  return uri.replace(/\/+$/, "");
}

export function normalizeAudience(value: string): string {
  return trimSlash(value.trim()).toLowerCase();
}

/** Delegated permission names per use (reference §2.1). */
function delegatedRequirements(use: ProtocolUse, options: UseOptions): { resourceOf: (e: CloudEndpoints) => string; required: ClaimRequirement[] } {
  switch (use.protocol) {
    case "imap":
      return { resourceOf: (e) => e.outlookDelegatedResource, required: [exactly("IMAP.AccessAsUser.All")] };
    case "pop3":
      return { resourceOf: (e) => e.outlookDelegatedResource, required: [exactly("POP.AccessAsUser.All")] };
    case "smtp":
      return { resourceOf: (e) => e.outlookDelegatedResource, required: [exactly("SMTP.Send")] };
    case "ews":
      return { resourceOf: (e) => e.exchangeResource, required: [exactly("EWS.AccessAsUser.All")] };
    case "graph": {
      const required =
        use.direction === "inbound"
          ? [mailRead, ...(options.sharedMailbox ? [mailReadShared] : [])]
          : [exactly("Mail.Send"), ...(options.sharedMailbox ? [exactly("Mail.Send.Shared")] : [])];
      return { resourceOf: (e) => e.graphResource, required };
    }
  }
}

/** App-only roles per use (reference §2.2). */
function appOnlyRequirements(use: ProtocolUse): { resourceOf: (e: CloudEndpoints) => string; required: ClaimRequirement[] } {
  switch (use.protocol) {
    case "imap":
      return { resourceOf: (e) => e.exchangeResource, required: [exactly("IMAP.AccessAsApp")] };
    case "pop3":
      return { resourceOf: (e) => e.exchangeResource, required: [exactly("POP.AccessAsApp")] };
    case "smtp":
      return { resourceOf: (e) => e.exchangeResource, required: [exactly("SMTP.SendAsApp")] };
    case "ews":
      return { resourceOf: (e) => e.exchangeResource, required: [exactly("full_access_as_app")] };
    case "graph":
      return { resourceOf: (e) => e.graphResource, required: use.direction === "inbound" ? [mailRead] : [exactly("Mail.Send")] };
  }
}

export function tokenRequirementFor(use: ProtocolUse, mode: AuthMode, endpoints: CloudEndpoints, options: UseOptions = {}): TokenRequirement {
  const spec = mode === "delegated" ? delegatedRequirements(use, options) : appOnlyRequirements(use);
  const resource = trimSlash(spec.resourceOf(endpoints));
  const isGraph = normalizeAudience(resource) === normalizeAudience(endpoints.graphResource);
  return {
    use,
    mode,
    resource,
    audience: resource,
    // Graph v1 tokens carry its URI or its app ID; Exchange tokens carry exactly the URI requested (reference §2.3).
    acceptedAudiences: isGraph ? [resource, MICROSOFT_GRAPH_APP_ID] : [resource],
    scopes: mode === "delegated" ? spec.required.map((r) => `${resource}/${r.name}`) : [`${resource}/.default`],
    claim: mode === "delegated" ? "scp" : "roles",
    required: spec.required,
  };
}

export interface ResourceScopes {
  resource: string;
  /** Full scope strings of this resource only. */
  scopes: string[];
  /** For a /token request: this resource's scopes plus the OIDC scopes (reference §2.3). */
  requestScopes: string[];
  uses: ProtocolUse[];
}

export interface DelegatedScopePlan {
  oidcScopes: string[];
  /** One entry per resource, in the order the uses first need them: one token each. */
  resources: ResourceScopes[];
  /** Every scope of every resource plus OIDC, for the single /authorize call (one consent screen, reference §2.3). */
  consentScopes: string[];
}

function addUnique(list: string[], values: Iterable<string>): void {
  for (const v of values) if (!list.includes(v)) list.push(v);
}

/** Delegated scopes grouped by resource (reference §2.1, §2.3). */
export function delegatedScopePlan(uses: ProtocolUse[], endpoints: CloudEndpoints, options: UseOptions = {}): DelegatedScopePlan {
  const byResource = new Map<string, ResourceScopes>();
  for (const use of uses) {
    const req = tokenRequirementFor(use, "delegated", endpoints, options);
    const key = normalizeAudience(req.resource);
    const entry = byResource.get(key) ?? { resource: req.resource, scopes: [], requestScopes: [], uses: [] };
    addUnique(entry.scopes, req.scopes);
    entry.uses.push(use);
    byResource.set(key, entry);
  }
  const resources = [...byResource.values()].map((r) => ({ ...r, requestScopes: [...r.scopes, ...OIDC_SCOPES] }));
  const consentScopes: string[] = [];
  for (const r of resources) addUnique(consentScopes, r.scopes);
  addUnique(consentScopes, OIDC_SCOPES);
  return { oidcScopes: [...OIDC_SCOPES], resources, consentScopes };
}

export interface AppOnlyTokenPlan {
  resource: string;
  /** Reference §2.2: the only scope client credentials accept (anything else: AADSTS1002012). */
  scope: string;
  /** Roles the token must carry for these uses. */
  roles: ClaimRequirement[];
  uses: ProtocolUse[];
}

/** App-only tokens per resource: Exchange .default for IMAP/POP/SMTP/EWS, Graph .default for Graph (reference §2.2). */
export function appOnlyTokenPlan(uses: ProtocolUse[], endpoints: CloudEndpoints): AppOnlyTokenPlan[] {
  const byResource = new Map<string, AppOnlyTokenPlan>();
  for (const use of uses) {
    const req = tokenRequirementFor(use, "app_only", endpoints);
    const key = normalizeAudience(req.resource);
    const entry = byResource.get(key) ?? { resource: req.resource, scope: `${req.resource}/.default`, roles: [], uses: [] };
    for (const r of req.required) if (!entry.roles.some((x) => x.name === r.name)) entry.roles.push(r);
    entry.uses.push(use);
    byResource.set(key, entry);
  }
  return [...byResource.values()];
}

// --- token inspection -------------------------------------------------------------------------

export type TokenProblemKind = "wrong_audience" | "missing_scope" | "missing_role";

export interface TokenProblem {
  kind: TokenProblemKind;
  expected: string;
  /** What the token carries instead (aud, the scp string, the roles joined by spaces), or null when absent. */
  actual: string | null;
  message: string;
}

export interface TokenClaimsCheck {
  ok: boolean;
  problems: TokenProblem[];
}

export interface CheckOptions extends UseOptions {
  /**
   * Mailboxes reached through RBAC for Applications: Exchange grants Graph, EWS and SMTP access itself and the
   * token carries no role for them (reference §4: for SMTP via RBAC add no Entra permission). Missing roles
   * for those protocols are then not a problem.
   */
  rbacForApplications?: boolean;
}

function usesOf(protocol: Protocol | ProtocolUse): ProtocolUse[] {
  if (typeof protocol !== "string") return [protocol];
  switch (protocol) {
    case "imap":
    case "pop3":
      return [{ direction: "inbound", protocol }];
    case "smtp":
      return [{ direction: "outbound", protocol }];
    case "graph":
    case "ews":
      // A bare Graph or EWS protocol means both directions.
      return [
        { direction: "inbound", protocol },
        { direction: "outbound", protocol },
      ];
  }
}

function scopesIn(claims: Record<string, unknown>): string[] | null {
  const scp = claims["scp"];
  return typeof scp === "string" ? scp.split(" ").filter(Boolean) : null;
}

function rolesIn(claims: Record<string, unknown>): string[] | null {
  const roles = claims["roles"];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : null;
}

/**
 * Checks a decoded access token against what a protocol needs in a mode: aud, and the scp (delegated) or
 * roles (app-only) values (reference §2.1–§2.3, §7). For display only: the server decides in the end.
 */
export function checkTokenClaimsForProtocol(
  claims: Record<string, unknown>,
  protocol: Protocol | ProtocolUse,
  mode: AuthMode,
  endpoints: CloudEndpoints,
  options: CheckOptions = {},
): TokenClaimsCheck {
  const problems: TokenProblem[] = [];
  const aud = typeof claims["aud"] === "string" ? claims["aud"] : null;
  const seen = new Set<string>();
  for (const use of usesOf(protocol)) {
    const req = tokenRequirementFor(use, mode, endpoints, options);
    if (!req.acceptedAudiences.some((a) => aud !== null && normalizeAudience(a) === normalizeAudience(aud)) && !seen.has(`aud:${req.audience}`)) {
      seen.add(`aud:${req.audience}`);
      problems.push({
        kind: "wrong_audience",
        expected: req.audience,
        actual: aud,
        message: `The token is for ${aud ?? "no audience"}, but ${labelOf(use)} needs a token for ${req.audience}. Request the scopes with their full prefix (${req.scopes[0]}).`,
      });
    }
    if (mode === "app_only" && options.rbacForApplications && use.protocol !== "imap" && use.protocol !== "pop3") continue;
    const present = mode === "delegated" ? scopesIn(claims) : rolesIn(claims);
    for (const r of req.required) {
      if (present !== null && r.satisfiedBy.some((s) => present.includes(s))) continue;
      if (seen.has(`${req.claim}:${r.name}`)) continue;
      seen.add(`${req.claim}:${r.name}`);
      const actual = present === null ? null : present.join(" ");
      problems.push(
        mode === "delegated"
          ? {
              kind: "missing_scope",
              expected: r.name,
              actual,
              message:
                scopesIn(claims) === null && rolesIn(claims) !== null
                  ? `This is an app-only token (roles), but the mailbox uses delegated access, which needs the scope ${r.name} in scp.`
                  : `The token's scp lacks ${r.name}, which ${labelOf(use)} needs. The user (or an admin) must consent to ${req.resource}/${r.name}.`,
            }
          : {
              kind: "missing_role",
              expected: r.name,
              actual,
              message:
                rolesIn(claims) === null && scopesIn(claims) !== null
                  ? `This is a delegated token (scp), but the mailbox uses app-only access, which needs the application permission ${r.name} in roles.`
                  : `The token's roles lack ${r.name}, which ${labelOf(use)} needs. Add the application permission ${r.name} and grant admin consent.`,
            },
      );
    }
  }
  return { ok: problems.length === 0, problems };
}

function labelOf(use: ProtocolUse): string {
  if (use.protocol === "graph") return use.direction === "inbound" ? "reading mail with Microsoft Graph" : "sending mail with Microsoft Graph";
  return protocolLabels[use.protocol];
}
