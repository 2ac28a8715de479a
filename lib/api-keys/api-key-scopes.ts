import { z } from "zod";

// What an API key may do. A key carries one or more; every endpoint names the one it needs.

export const apiScopeSchema = z.enum(["token:read", "mailboxes:read", "health:read"]);
export type ApiScope = z.infer<typeof apiScopeSchema>;
export const apiScopes = apiScopeSchema.options;

export const apiScopeLabels: Record<ApiScope, string> = {
  "token:read": "token:read: get access tokens (and the XOAUTH2 string) for mailboxes",
  "mailboxes:read": "mailboxes:read: list mailboxes with their settings and state",
  "health:read": "health:read: read the latest protocol checks of mailboxes",
};

/** Space-separated as stored in ApiKey.scopes; unknown words (from a newer version) are ignored. */
export function parseScopes(stored: string): ApiScope[] {
  return stored.split(/\s+/).filter((s): s is ApiScope => (apiScopes as readonly string[]).includes(s));
}

export function formatScopes(scopes: readonly ApiScope[]): string {
  return apiScopes.filter((s) => scopes.includes(s)).join(" ");
}
