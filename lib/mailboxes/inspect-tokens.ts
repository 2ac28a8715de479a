import type { AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import type { ConnectionView } from "@/lib/mailboxes/connection-view";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { protocolLabels, type AuthMode } from "@/lib/microsoft/protocols";
import { checkTokenClaimsForProtocol, normalizeAudience, tokenRequirementFor, type TokenProblem } from "@/lib/microsoft/scopes";

// The token inspector: for each protocol the mailbox uses, the stored access token's non-secret
// claims (aud, scp or roles, tid, upn, exp) checked against what that protocol needs. The token
// itself is never read here, only the claims saved beside it.

export interface TokenInspection {
  label: string;
  expectedAudience: string;
  token: { audience: string | null; scopesOrRoles: string[]; tenant: string | null; user: string | null; expiresAt: Date } | null;
  problems: TokenProblem[];
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function inspectTokens(
  mailbox: { inboundProtocol: string | null; outboundProtocol: string | null; authMode: AuthMode; signingIdentity: string | null },
  app: AppRegistrationView,
  connection: ConnectionView,
): TokenInspection[] {
  return usesOfMailbox(mailbox).map((use) => {
    const requirement = tokenRequirementFor(use, mailbox.authMode, app.endpoints, { sharedMailbox: Boolean(mailbox.signingIdentity) });
    const stored = connection.accessTokens.find((t) => normalizeAudience(t.resource) === normalizeAudience(requirement.resource));
    const label = `${protocolLabels[use.protocol]} ${use.direction}`;
    if (!stored) return { label, expectedAudience: requirement.audience, token: null, problems: [] };
    const c = stored.claims;
    const scp = str(c.scp);
    const roles = Array.isArray(c.roles) ? c.roles.filter((r): r is string => typeof r === "string") : [];
    const check = checkTokenClaimsForProtocol(c, use, mailbox.authMode, app.endpoints, { sharedMailbox: Boolean(mailbox.signingIdentity) });
    return {
      label,
      expectedAudience: requirement.audience,
      token: {
        audience: str(c.aud),
        scopesOrRoles: scp ? scp.split(" ") : roles,
        tenant: str(c.tid),
        user: str(c.upn) ?? str(c.preferred_username) ?? str(c.unique_name),
        expiresAt: stored.expiresAt,
      },
      problems: check.problems,
    };
  });
}
