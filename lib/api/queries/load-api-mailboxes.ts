import { getDb } from "@/lib/db/client";
import { decodeTags } from "@/lib/mailboxes/mailbox-form";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { cloudIdSchema, customCloudSchema, endpointsOf, type CloudEndpoints } from "@/lib/microsoft/clouds";
import { connectionSecuritySchema, serverPresetFor, type AuthMode, type ProtocolUse } from "@/lib/microsoft/protocols";
import { resourceScopesFor } from "@/lib/grants/mailbox-token-context";
import type { ApiMailbox, ApiMailboxUse, ApiServerSettings } from "@/lib/api/queries/api-mailbox";

// Reads mailboxes for the token API's in-memory cache: by ID (a batch: first sight and the periodic
// re-read) or by address (the same address may be configured once per protocol and direction, so an
// address can name several mailboxes). One query each.

export const apiMailboxSelect = {
  id: true,
  address: true,
  tags: true,
  authMode: true,
  accountKind: true,
  signingIdentity: true,
  inboundProtocol: true,
  inboundHost: true,
  inboundPort: true,
  inboundSecurity: true,
  outboundProtocol: true,
  outboundHost: true,
  outboundPort: true,
  outboundSecurity: true,
  updatedAt: true,
  appRegistration: { select: { id: true, cloud: true, customCloud: true, updatedAt: true } },
  grant: { select: { id: true, kind: true, state: true, consentedAt: true } },
} as const;

export type ApiMailboxRow = Awaited<ReturnType<typeof fetchRows>>[number];

function fetchRows(where: { id: { in: string[] } } | { address: string } | { OR: ({ id: { in: string[] } } | { address: { in: string[] } })[] }) {
  return getDb().mailbox.findMany({ where, select: apiMailboxSelect });
}

function endpointsOfRow(row: ApiMailboxRow): CloudEndpoints {
  const cloud = cloudIdSchema.parse(row.appRegistration.cloud);
  const custom = row.appRegistration.customCloud ? customCloudSchema.parse(JSON.parse(row.appRegistration.customCloud)) : null;
  return endpointsOf(cloud, custom);
}

function serverOf(row: ApiMailboxRow, use: ProtocolUse, endpoints: CloudEndpoints): ApiServerSettings | null {
  const preset = serverPresetFor(use.protocol, endpoints, { personalAccount: row.accountKind === "personal" });
  if (use.protocol === "graph" || use.protocol === "ews") return preset ? { host: preset.host, port: preset.port, security: preset.security, url: preset.url } : null;
  const inbound = use.direction === "inbound";
  const host = (inbound ? row.inboundHost : row.outboundHost) ?? preset?.host;
  const port = (inbound ? row.inboundPort : row.outboundPort) ?? preset?.port;
  const security = connectionSecuritySchema.safeParse((inbound ? row.inboundSecurity : row.outboundSecurity) ?? preset?.security);
  if (!host || !port || !security.success) return null;
  return { host, port, security: security.data, url: null };
}

export function toApiMailbox(row: ApiMailboxRow): ApiMailbox {
  const authMode: AuthMode = row.authMode === "app_only" ? "app_only" : "delegated";
  const endpoints = endpointsOfRow(row);
  const uses: ApiMailboxUse[] = [];
  for (const use of usesOfMailbox(row)) {
    if (uses.some((u) => u.protocol === use.protocol)) continue; // Graph or EWS both ways: one token, one entry
    const { resource } = resourceScopesFor(use, { ...row, authMode }, { endpoints });
    uses.push({ protocol: use.protocol, use, resource, server: serverOf(row, use, endpoints) });
  }
  const grant = row.grant;
  const fingerprint = [
    row.updatedAt.getTime(),
    row.appRegistration.id,
    row.appRegistration.updatedAt.getTime(),
    grant ? `${grant.id}:${grant.kind}:${grant.state}:${grant.consentedAt.getTime()}` : "no-grant",
  ].join("|");
  return { id: row.id, address: row.address, tags: decodeTags(row.tags), authMode, uses, fingerprint };
}

export async function loadApiMailboxesById(ids: readonly string[]): Promise<ApiMailbox[]> {
  if (ids.length === 0) return [];
  return (await fetchRows({ id: { in: [...ids] } })).map(toApiMailbox);
}

export async function loadApiMailboxesByAddress(address: string): Promise<ApiMailbox[]> {
  return (await fetchRows({ address: address.toLowerCase() })).map(toApiMailbox);
}

/** The periodic re-read: every mailbox held by ID and every mailbox at an address held, in one query. */
export async function loadApiMailboxesByIdsOrAddresses(ids: readonly string[], addresses: readonly string[]): Promise<ApiMailbox[]> {
  if (ids.length === 0 && addresses.length === 0) return [];
  return (await fetchRows({ OR: [{ id: { in: [...ids] } }, { address: { in: addresses.map((a) => a.toLowerCase()) } }] })).map(toApiMailbox);
}
