// Scope strings to resources (reference §2): full-URI scopes, bare names (which resolve to
// Graph, §2.1), OIDC scopes, `.default`, and the one-resource-per-token rule (§2.3).
import { EXCHANGE, GRAPH, OIDC_SCOPES, resourceByUri, type ResourceApp, type ResourceKey } from "./resources";

export type ParsedScope =
  | { kind: "oidc"; raw: string; name: (typeof OIDC_SCOPES)[number] }
  | { kind: "resource"; raw: string; resource: ResourceApp; uri: string; name: string; isDefault: boolean }
  | { kind: "unknown-resource"; raw: string; uri: string }
  | { kind: "unknown-scope"; raw: string };

export type Permission = "delegated" | "application";

/** Parses one scope string. `permission` chooses which name list canonicalises the name. */
export function parseScope(raw: string, permission: Permission = "delegated"): ParsedScope {
  const lower = raw.toLowerCase();
  const oidc = OIDC_SCOPES.find((s) => s === lower);
  if (oidc) return { kind: "oidc", raw, name: oidc };
  const slash = raw.lastIndexOf("/");
  // Reference §2.1: a bare name resolves to Microsoft Graph.
  const uri = slash === -1 ? "https://graph.microsoft.com" : raw.slice(0, slash).replace(/\/+$/, "");
  const nameAsSent = slash === -1 ? raw : raw.slice(slash + 1);
  const resource = resourceByUri(uri);
  if (!resource) return { kind: "unknown-resource", raw, uri };
  if (nameAsSent.toLowerCase() === ".default") {
    return { kind: "resource", raw, resource, uri: canonicalUri(resource, uri), name: ".default", isDefault: true };
  }
  const names = permission === "delegated" ? resource.delegatedScopes : resource.appRoles;
  const name = names.find((n) => n.toLowerCase() === nameAsSent.toLowerCase());
  if (!name) return { kind: "unknown-scope", raw };
  return { kind: "resource", raw, resource, uri: canonicalUri(resource, uri), name, isDefault: false };
}

function canonicalUri(resource: ResourceApp, uri: string): string {
  return resource.identifierUris.find((u) => u === uri.toLowerCase()) ?? uri.toLowerCase();
}

export function splitScopeParam(scope: string | null | undefined): string[] {
  return (scope ?? "").split(/[\s+]+/).filter(Boolean);
}

export interface ResourceRequest {
  resource: ResourceApp;
  /** The identifier URI of the first scope for this resource: the token's aud (reference §2.3, v1 tokens). */
  uri: string;
  names: string[];
  hasDefault: boolean;
}

export interface ScopeAnalysis {
  oidc: string[];
  /** In order of first appearance. */
  resources: ResourceRequest[];
  problems: ParsedScope[];
}

export function analyseScopes(scopes: string[], permission: Permission = "delegated"): ScopeAnalysis {
  const analysis: ScopeAnalysis = { oidc: [], resources: [], problems: [] };
  for (const raw of scopes) {
    const parsed = parseScope(raw, permission);
    if (parsed.kind === "oidc") {
      if (!analysis.oidc.includes(parsed.name)) analysis.oidc.push(parsed.name);
    } else if (parsed.kind === "resource") {
      let entry = analysis.resources.find((r) => r.resource.key === parsed.resource.key);
      if (!entry) {
        entry = { resource: parsed.resource, uri: parsed.uri, names: [], hasDefault: false };
        analysis.resources.push(entry);
      }
      if (parsed.isDefault) entry.hasDefault = true;
      else if (!entry.names.includes(parsed.name)) entry.names.push(parsed.name);
    } else {
      analysis.problems.push(parsed);
    }
  }
  return analysis;
}

/** The canonical name of a Graph/Exchange permission from a fixture scope string ("openid", full URI, ...). */
export function resolvePermission(raw: string, permission: Permission): { resource: ResourceKey; name: string } {
  const parsed = parseScope(raw, permission);
  if (parsed.kind === "oidc") return { resource: "graph", name: parsed.name };
  if (parsed.kind === "resource" && !parsed.isDefault) return { resource: parsed.resource.key, name: parsed.name };
  throw new Error(`not a known ${permission} permission: ${raw}`);
}

export function audienceFor(request: ResourceRequest): string {
  // Graph tokens carry https://graph.microsoft.com unless the GUID form was requested.
  if (request.resource === GRAPH) return request.uri.startsWith("http") ? "https://graph.microsoft.com" : GRAPH.appId;
  return request.uri.startsWith("http") ? request.uri : EXCHANGE.appId;
}
