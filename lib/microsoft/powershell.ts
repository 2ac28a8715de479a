import { isSpecificTenant } from "@/lib/microsoft/authority";
import type { AuthMode, ProtocolUse } from "@/lib/microsoft/protocols";
import { opathEquals, psComment, psQuote } from "@/lib/microsoft/powershell-quoting";

// Exchange Online PowerShell with this installation's values filled in (reference §3, §4): enable the
// protocols on each mailbox, register the app's service principal in Exchange, grant it the mailboxes,
// and restrict it to them (RBAC for Applications; Application Access Policy as the legacy alternative).

export const ENTERPRISE_APP_OBJECT_ID_PLACEHOLDER = "<ENTERPRISE-APP-OBJECT-ID>";
export const TENANT_PLACEHOLDER = "<TENANT-ID-OR-DOMAIN>";
export const ACCESS_POLICY_GROUP_PLACEHOLDER = "<MAIL-ENABLED-SECURITY-GROUP>";

export interface PowerShellMailbox {
  address: string;
  mode: AuthMode;
  uses: ProtocolUse[];
  /** Delegated: the user who signs in, when it is not the mailbox itself (a shared mailbox, reference §3). */
  signingIdentity?: string | null;
}

export interface PowerShellInput {
  /** The tenant whose mailboxes these are: ID or verified domain (reference §4: Connect-ExchangeOnline -Organization). */
  tenant: string;
  clientId: string;
  /** The app registration's name in the portal, for the service principal's display name and scope names. */
  appDisplayName: string;
  /** The Enterprise application's Object ID in this tenant, when known (reference §4: not the app registration's). */
  enterpriseAppObjectId?: string | null;
  mailboxes: PowerShellMailbox[];
  /** For the legacy Application Access Policy: a mail-enabled security group (address or name). */
  accessPolicyGroup?: string | null;
}

export type PowerShellSectionId =
  | "connect"
  | "enable-protocols"
  | "service-principal"
  | "mailbox-permissions"
  | "send-as"
  | "shared-mailbox-delegates"
  | "rbac-for-applications"
  | "application-access-policy";

export interface PowerShellSection {
  id: PowerShellSectionId;
  title: string;
  explanation: string;
  script: string;
}

const uses = (m: PowerShellMailbox, protocol: ProtocolUse["protocol"], direction?: ProtocolUse["direction"]): boolean =>
  m.uses.some((u) => u.protocol === protocol && (direction === undefined || u.direction === direction));

const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Reference §4: RBAC for Applications covers Graph, EWS and SMTP; IMAP and POP are gated only by FullAccess. */
const RBAC_ROLES = [
  { role: "Application Mail.Read", needs: (m: PowerShellMailbox) => uses(m, "graph", "inbound") },
  { role: "Application Mail.Send", needs: (m: PowerShellMailbox) => uses(m, "graph", "outbound") },
  { role: "Application EWS.AccessAsApp", needs: (m: PowerShellMailbox) => uses(m, "ews") },
  { role: "Application SMTP.SendAsApp", needs: (m: PowerShellMailbox) => uses(m, "smtp") },
] as const;

function uniqueByAddress(list: PowerShellMailbox[]): PowerShellMailbox[] {
  const seen = new Map<string, PowerShellMailbox>();
  for (const m of list) {
    const key = m.address.trim().toLowerCase();
    const prior = seen.get(key);
    seen.set(key, prior ? { ...prior, uses: [...prior.uses, ...m.uses] } : m);
  }
  return [...seen.values()];
}

function lines(...parts: Array<string | false | null | undefined | string[]>): string {
  return parts.flatMap((p) => (p === false || p === null || p === undefined ? [] : Array.isArray(p) ? p : [p])).join("\n");
}

/** Short, PowerShell-safe name for management scopes and role assignments. */
function nameFor(appDisplayName: string, suffix: string): string {
  const label = appDisplayName.replace(/[^\p{L}\p{N} ._-]/gu, "").replace(/\s+/g, " ").trim().slice(0, 40) || "Mail app";
  return `${label} - ${suffix}`;
}

export function buildExchangePowerShell(input: PowerShellInput): PowerShellSection[] {
  const sections: PowerShellSection[] = [];
  const tenant = isSpecificTenant(input.tenant) ? input.tenant.trim() : TENANT_PLACEHOLDER;
  const objectId = input.enterpriseAppObjectId?.trim() || ENTERPRISE_APP_OBJECT_ID_PLACEHOLDER;
  const sp = psQuote(objectId);
  const all = uniqueByAddress(input.mailboxes);
  const appOnly = all.filter((m) => m.mode === "app_only");
  const delegated = all.filter((m) => m.mode === "delegated");

  // --- protocols on each mailbox (both modes) ------------------------------------------------------
  const enable = all
    .map((m) => {
      const switches = [
        uses(m, "imap") && "-ImapEnabled $true",
        uses(m, "pop3") && "-PopEnabled $true",
        uses(m, "smtp") && "-SmtpClientAuthenticationDisabled $false",
        uses(m, "ews") && "-EWSEnabled $true",
      ].filter((s): s is string => typeof s === "string");
      return switches.length === 0 ? null : `Set-CASMailbox -Identity ${psQuote(m.address)} ${switches.join(" ")}`;
    })
    .filter((s): s is string => s !== null);
  const enableSection: PowerShellSection | null =
    enable.length === 0
      ? null
      : {
          id: "enable-protocols",
          title: "Turn the protocols on for each mailbox",
          explanation:
            "IMAP, POP and SMTP AUTH can be switched off per mailbox, and then a login fails with a generic error. SMTP AUTH is off by default in organisations created after January 2020: -SmtpClientAuthenticationDisabled $false turns it on for this mailbox even when the organisation keeps it off ($null would inherit the organisation's setting).",
          script: lines(enable),
        };
  if (all.some((m) => uses(m, "ews")) && enableSection) {
    enableSection.explanation +=
      " EWS is being retired in Exchange Online: from 2026-10-01 it is off unless the organisation sets EWSEnabled to True and lists this app in EWSAllowedAppIDs, and it shuts down on 2027-04-01. Plan a move to Microsoft Graph.";
  }

  // --- service principal and mailbox permissions (app-only) -----------------------------------------
  const fullAccess = appOnly.filter((m) => uses(m, "imap") || uses(m, "pop3") || uses(m, "smtp"));
  const sendAs = appOnly.filter((m) => uses(m, "smtp", "outbound"));
  const rbacRoles = RBAC_ROLES.map((r) => ({ role: r.role, mailboxes: appOnly.filter(r.needs) })).filter((r) => r.mailboxes.length > 0);
  const policyMailboxes = appOnly.filter((m) => uses(m, "graph") || uses(m, "ews"));

  const shared = delegated.filter((m) => m.signingIdentity && !sameAddress(m.signingIdentity, m.address));
  const needsConnection = enableSection !== null || appOnly.length > 0 || shared.length > 0;
  if (!needsConnection) return sections;

  sections.push({
    id: "connect",
    title: "Connect to Exchange Online PowerShell",
    explanation: `Run these in PowerShell as an Exchange administrator of the tenant${tenant === TENANT_PLACEHOLDER ? " (replace the placeholder with the tenant ID or its .onmicrosoft.com domain)" : ""}. Install-Module is needed only once per computer.`,
    script: lines("Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser", "Import-Module ExchangeOnlineManagement", `Connect-ExchangeOnline -Organization ${psQuote(tenant)}`),
  });
  if (enableSection) sections.push(enableSection);

  if (appOnly.length > 0) {
    sections.push({
      id: "service-principal",
      title: "Register the app's service principal in Exchange",
      explanation:
        "Exchange only accepts app-only tokens from an app it knows. -ObjectId is the Object ID of the Enterprise application (Microsoft Entra ID → Enterprise applications → the app → Overview), not the Object ID shown under App registrations: the wrong ID makes every login fail. An app-only token's oid claim carries the right value." +
        (objectId === ENTERPRISE_APP_OBJECT_ID_PLACEHOLDER ? " Replace the placeholder in this and the following blocks." : ""),
      script: lines(
        objectId === ENTERPRISE_APP_OBJECT_ID_PLACEHOLDER && [
          psComment(`${ENTERPRISE_APP_OBJECT_ID_PLACEHOLDER}: Microsoft Entra ID → Enterprise applications → ${input.appDisplayName} → Overview → Object ID.`),
          psComment("NOT App registrations → Overview → Object ID (that is the application object, not its service principal)."),
          psComment(`With Microsoft Graph PowerShell: (Get-MgServicePrincipal -Filter "appId eq '${input.clientId.replace(/[^0-9a-fA-F-]/g, "")}'").Id`),
        ],
        `New-ServicePrincipal -AppId ${psQuote(input.clientId)} -ObjectId ${sp} -DisplayName ${psQuote(input.appDisplayName)}`,
      ),
    });
  }
  if (fullAccess.length > 0) {
    sections.push({
      id: "mailbox-permissions",
      title: "Give the service principal access to each mailbox",
      explanation:
        "FullAccess lets the app open the mailbox over IMAP, POP and SMTP with user=<mailbox>. For IMAP and POP this is the only gate: the app reaches exactly the mailboxes listed here. Without it IMAP answers \"User is authenticated but not connected\".",
      script: lines(fullAccess.map((m) => `Add-MailboxPermission -Identity ${psQuote(m.address)} -User ${sp} -AccessRights FullAccess`)),
    });
  }
  if (sendAs.length > 0) {
    sections.push({
      id: "send-as",
      title: "Allow the service principal to send as each outbound mailbox",
      explanation:
        "Send As lets the app put the mailbox's address (or, granted on another mailbox, that address) in From. A From the token may not use is refused with 554 5.2.252 SendAsDenied.",
      script: lines(sendAs.map((m) => `Add-RecipientPermission -Identity ${psQuote(m.address)} -Trustee ${sp} -AccessRights SendAs -Confirm:$false`)),
    });
  }
  if (shared.length > 0) {
    sections.push({
      id: "shared-mailbox-delegates",
      title: "Shared mailboxes: give the signing user access",
      explanation:
        "A shared mailbox is reached with the token of a user who has access to it; the shared address goes into user=. The user needs FullAccess to read it and Send As to send from it.",
      script: lines(
        shared.flatMap((m) => {
          const user = psQuote(m.signingIdentity ?? "");
          return [
            `Add-MailboxPermission -Identity ${psQuote(m.address)} -User ${user} -AccessRights FullAccess -AutoMapping $false`,
            ...(m.uses.some((u) => u.direction === "outbound") ? [`Add-RecipientPermission -Identity ${psQuote(m.address)} -Trustee ${user} -AccessRights SendAs -Confirm:$false`] : []),
          ];
        }),
      ),
    });
  }
  if (rbacRoles.length > 0) {
    const script: string[] = [];
    for (const { role, mailboxes } of rbacRoles) {
      const scopeName = nameFor(input.appDisplayName, role.replace(/^Application /, ""));
      const filter = mailboxes.map((m) => opathEquals("PrimarySmtpAddress", m.address)).join(" -or ");
      script.push(
        psComment(`${role}: ${mailboxes.map((m) => m.address).join(", ")}`),
        `New-ManagementScope -Name ${psQuote(scopeName)} -RecipientRestrictionFilter ${psQuote(filter)}`,
        `New-ManagementRoleAssignment -Name ${psQuote(scopeName)} -App ${sp} -Role ${psQuote(role)} -CustomResourceScope ${psQuote(scopeName)}`,
        "",
      );
    }
    script.push(psComment("Check: InScope is True for each mailbox, and False for one the app must not reach."));
    const tested = new Set<string>();
    for (const { mailboxes } of rbacRoles) {
      for (const m of mailboxes) {
        if (tested.has(m.address.toLowerCase())) continue;
        tested.add(m.address.toLowerCase());
        script.push(`Test-ServicePrincipalAuthorization -Identity ${sp} -Resource ${psQuote(m.address)}`);
      }
    }
    sections.push({
      id: "rbac-for-applications",
      title: "Restrict the app to these mailboxes (RBAC for Applications)",
      explanation:
        "A management scope lists the mailboxes; a role assignment gives the app a role only within it. This covers Microsoft Graph, EWS and SMTP (IMAP and POP are limited by the mailbox permissions above). RBAC for Applications adds to the permissions granted in Microsoft Entra ID, it does not narrow them: remove the tenant-wide application permissions (Mail.Read, Mail.Send, full_access_as_app, SMTP.SendAsApp) from the app registration, or the scope restricts nothing. For SMTP through RBAC, add no Entra permission at all. Changes reportedly take 30 minutes to 2 hours to apply.",
      script: lines(script),
    });
  }
  if (policyMailboxes.length > 0) {
    const group = input.accessPolicyGroup?.trim() || ACCESS_POLICY_GROUP_PLACEHOLDER;
    sections.push({
      id: "application-access-policy",
      title: "Legacy alternative: Application Access Policy",
      explanation:
        "Use this only where RBAC for Applications is not an option: Microsoft calls Application Access Policies legacy. A policy limits the app's Graph mail permissions and full_access_as_app (EWS) to the members of one mail-enabled security group; it does not cover IMAP, POP or SMTP. Changes can take more than an hour to apply." +
        (group === ACCESS_POLICY_GROUP_PLACEHOLDER ? " Replace the placeholder with the group's address (create one with New-DistributionGroup -Type Security if needed)." : ""),
      script: lines(
        policyMailboxes.map((m) => `Add-DistributionGroupMember -Identity ${psQuote(group)} -Member ${psQuote(m.address)}`),
        `New-ApplicationAccessPolicy -AppId ${psQuote(input.clientId)} -PolicyScopeGroupId ${psQuote(group)} -AccessRight RestrictAccess -Description ${psQuote(`Restrict ${input.appDisplayName} to its mailboxes`)}`,
        policyMailboxes.map((m) => `Test-ApplicationAccessPolicy -Identity ${psQuote(m.address)} -AppId ${psQuote(input.clientId)}`),
      ),
    });
  }
  return sections;
}

/** All sections as one .ps1 file, titles and explanations as comments. */
export function renderPowerShellScript(sections: readonly PowerShellSection[]): string {
  return (
    sections
      .map((s) => lines(psComment(`=== ${s.title} ===`), wrapComment(s.explanation), s.script))
      .join("\n\n") + "\n"
  );
}

function wrapComment(text: string, width = 100): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(psComment(line));
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(psComment(line));
  return out;
}
