import type { StandInClient } from "../stand-in/start-stand-in";

// The app registration form's custom-cloud fields for a running stand-in: exactly what an admin would
// type to point the portal at it (hosts, Microsoft's resource URIs, and the stand-in's CA).

export function standInCloudFields(standIn: StandInClient): Record<string, string> {
  return {
    cloud: "custom",
    customLoginHost: standIn.hosts.identity,
    customGraphHost: standIn.hosts.graph,
    customOutlookDelegatedResource: "https://outlook.office.com",
    customExchangeResource: "https://outlook.office365.com",
    customGraphResource: "https://graph.microsoft.com",
    customImapHost: standIn.mail ? `${standIn.mail.imap.host}:${standIn.mail.imap.port}` : "127.0.0.1:1",
    customPopHost: standIn.mail ? `${standIn.mail.pop3.host}:${standIn.mail.pop3.port}` : "127.0.0.1:1",
    customSmtpHost: standIn.mail ? `${standIn.mail.smtp.host}:${standIn.mail.smtp.port}` : "127.0.0.1:1",
    customEwsUrl: standIn.urls.ews,
    customTrustedCaPem: standIn.caPem,
  };
}

export const fixtureApps = {
  /** Multi-tenant, delegated mail scopes. */
  portal: { clientId: "a6c42eea-f4c4-4984-be15-c0e72f4d0357", secret: "duh0Q~I_lr-eZ7g1G6yBrUTehT2PezrBpWjXhQ_C" },
  /** Single tenant (contoso), delegated. */
  relay: { clientId: "5c1d92ab-7a3b-461a-b5ee-13aaec60c5ec", secret: "mDS2Q~L722.mykchcgGODfufbzgt6p0lcIuS4BHF" },
  /** App-only daemon with Exchange and Graph roles in contoso. */
  daemon: { clientId: "b19bba8f-95da-41c2-9167-474dca5f0c0c", secret: "mfG4Q~eyGApEOxtwSODgVPoTqiWsCM9HlHXCxLXI", servicePrincipal: "95aa62ea-1af4-4ce9-9e54-1f57195f62ae" },
} as const;

export const contosoTenantId = "b3922080-3ce0-4dbb-b906-e7d97973bbe4";
