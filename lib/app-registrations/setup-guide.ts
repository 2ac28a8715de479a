import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getAppRegistration, type AppRegistrationView } from "@/lib/app-registrations/app-registration-view";
import { identityEndpointUrls, isSpecificTenant, type IdentityEndpointUrls } from "@/lib/microsoft/authority";
import { checkRedirectUri, signInAudienceOf, type ConfigIssue } from "@/lib/microsoft/config-checks";
import { buildRequiredResourceAccess, formatRequiredResourceAccess } from "@/lib/microsoft/manifest";
import { requiredPermissions, type PermissionNeed, type PermissionRow } from "@/lib/microsoft/permissions";
import { buildExchangePowerShell, type PowerShellSection } from "@/lib/microsoft/powershell";
import {
  protocolLabels,
  protocolUsesOf,
  serverPresetFor,
  type AuthMode,
  type InboundProtocol,
  type OutboundProtocol,
  type Protocol,
  type ProtocolUse,
} from "@/lib/microsoft/protocols";
import { getInstallationFacts } from "@/lib/settings/installation-facts";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";

// Everything an admin copies into the Azure portal and Exchange Online for one app registration,
// computed from this installation's redirect URI and the protocols its mailboxes use.

export interface SetupGuide {
  app: AppRegistrationView;
  redirectUri: string;
  redirectUriIssues: ConfigIssue[];
  signInAudience: string;
  /** Where the uses come from: the app's mailboxes, or the admin's preview choice when it has none. */
  usesFrom: "mailboxes" | "preview";
  modes: AuthMode[];
  uses: { mode: AuthMode; use: ProtocolUse; label: string }[];
  permissions: PermissionRow[];
  manifestJson: string;
  endpoints: IdentityEndpointUrls;
  powerShell: PowerShellSection[];
  servers: { protocol: Protocol; label: string; host: string; port: number; security: string; url: string | null }[];
}

export interface PreviewChoice {
  mode: AuthMode;
  inbound: InboundProtocol | null;
  outbound: OutboundProtocol | null;
}

export async function buildSetupGuide(appId: string, browsingOrigin: string | undefined, preview: PreviewChoice): Promise<SetupGuide> {
  const app = await getAppRegistration(appId);
  if (!app) throw new AppError("not_found", "That app registration does not exist.");
  const facts = getInstallationFacts();
  const mailboxes = await getDb().mailbox.findMany({
    where: { appRegistrationId: appId },
    select: { address: true, authMode: true, inboundProtocol: true, outboundProtocol: true, signingIdentity: true },
    take: 500,
  });

  const usesFrom = mailboxes.length > 0 ? "mailboxes" : "preview";
  const sources =
    mailboxes.length > 0
      ? mailboxes.map((m) => ({
          address: m.address,
          mode: m.authMode as AuthMode,
          uses: usesOfMailbox(m),
          signingIdentity: m.signingIdentity,
        }))
      : [{ address: "", mode: preview.mode, uses: protocolUsesOf(preview), signingIdentity: null }];

  const needs: PermissionNeed[] = sources.map((s) => ({ uses: s.uses, mode: s.mode, sharedMailbox: Boolean(s.signingIdentity) }));
  const permissions = requiredPermissions(needs);
  const seen = new Set<string>();
  const uses: SetupGuide["uses"] = [];
  for (const s of sources) {
    for (const use of s.uses) {
      const key = `${s.mode}:${use.direction}:${use.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      uses.push({ mode: s.mode, use, label: `${protocolLabels[use.protocol]} ${use.direction}, ${s.mode === "app_only" ? "app-only" : "delegated"}` });
    }
  }
  // Exchange Online PowerShell for the mailboxes as configured, or for a placeholder mailbox in a preview.
  const powerShell = buildExchangePowerShell({
    tenant: isSpecificTenant(app.tenant) ? app.tenant : "",
    clientId: app.clientId,
    appDisplayName: app.label,
    enterpriseAppObjectId: app.servicePrincipalObjectId,
    mailboxes: sources.map((s) => ({ ...s, address: s.address || "mailbox@yourdomain.com" })),
  });

  const protocols = [...new Set(uses.map((u) => u.use.protocol))];
  const servers = protocols.flatMap((protocol) => {
    const preset = serverPresetFor(protocol, app.endpoints);
    return preset ? [{ protocol, label: protocolLabels[protocol], host: preset.host, port: preset.port, security: preset.security, url: preset.url }] : [];
  });

  return {
    app,
    redirectUri: facts.redirectUri,
    redirectUriIssues: checkRedirectUri(facts.redirectUri, { browsingOrigin }),
    signInAudience: signInAudienceOf[app.audience],
    usesFrom,
    modes: [...new Set(sources.map((s) => s.mode))],
    uses,
    permissions,
    manifestJson: formatRequiredResourceAccess(buildRequiredResourceAccess(permissions)),
    endpoints: identityEndpointUrls(app.endpoints, app.tenant),
    powerShell,
    servers,
  };
}
