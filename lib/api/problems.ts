// The token API's errors: one stable `code` each, with its HTTP status and a title. Clients branch on
// `code`; `detail` and `explanation` are for people. Grant problems carry the token engine's catalog
// explanation (who must do what). Served as application/problem+json (RFC 9457).

export const problemCatalog = {
  invalid_request: { status: 400, title: "The request is not valid", when: "A path, query or body value failed validation; `errors` lists each." },
  unauthorized: { status: 401, title: "API key missing, unknown, revoked or expired", when: "No `Authorization: Bearer <key>` header, or a key this portal does not accept (never says which)." },
  forbidden: { status: 403, title: "The API key lacks the scope for this", when: "The key exists but was not given the scope the endpoint needs (token:read, mailboxes:read, health:read)." },
  not_found: { status: 404, title: "No such mailbox", when: "No mailbox has that ID or address, or the key may not reach it: the two are indistinguishable on purpose." },
  method_not_allowed: { status: 405, title: "Method not allowed", when: "The path exists but not with this method; `Allow` names the one that does." },
  ambiguous_mailbox: { status: 409, title: "The address names several mailboxes", when: "The same address is configured as several mailboxes (one per protocol); use the mailbox ID." },
  protocol_not_configured: { status: 409, title: "The mailbox does not use that protocol", when: "Ask for a protocol the mailbox is configured for (see GET /api/v1/mailboxes)." },
  not_connected: { status: 409, title: "Mailbox not connected", when: "Nobody has consented yet, or the mailbox was disconnected: an admin connects it." },
  needs_consent: { status: 409, title: "Sign-in needed", when: "Microsoft no longer accepts the grant: the mailbox owner signs in again. `consent_link` is the still-valid one-time link, if one exists." },
  credential_invalid: { status: 409, title: "App credential refused", when: "Microsoft refused the app registration's secret or certificate: an admin replaces it." },
  app_missing: { status: 409, title: "App registration not usable", when: "The app registration or its tenant is not accepted by Microsoft: an admin fixes it." },
  blocked_by_policy: { status: 409, title: "Blocked by a tenant policy", when: "Conditional Access or another tenant policy blocks token issuance: a tenant admin acts." },
  rate_limited: { status: 429, title: "Too many requests for this API key", when: "The key's requests per minute are used up; wait `Retry-After` seconds." },
  internal: { status: 500, title: "Internal error", when: "A bug or an outage of the portal; the log has the details under `reference`." },
  upstream_unavailable: { status: 503, title: "Microsoft is not answering", when: "Microsoft's token endpoint failed and no valid token is cached; retry after `Retry-After` seconds (the portal does not ask Microsoft before then)." },
} as const satisfies Record<string, { status: number; title: string; when: string }>;

export type ProblemCode = keyof typeof problemCatalog;
export const problemCodes = Object.keys(problemCatalog) as [ProblemCode, ...ProblemCode[]];

/** Where a problem's `type` points: the API page of this portal, one anchor per code. */
export function problemTypeUri(portalUrl: string, code: ProblemCode): string {
  return `${portalUrl}/api#problem-${code}`;
}
