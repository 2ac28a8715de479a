import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { cloudIdSchema, cloudLabel, customCloudSchema, endpointsOf, type CloudEndpoints, type CustomCloud } from "@/lib/microsoft/clouds";
import { appAudienceSchema } from "@/lib/microsoft/config-checks";

// What the portal shows of an app registration: never a secret, only its hint and dates.

export interface AppRegistrationView {
  id: string;
  label: string;
  cloud: z.infer<typeof cloudIdSchema>;
  cloudLabel: string;
  customCloud: CustomCloud | null;
  endpoints: CloudEndpoints;
  tenant: string;
  audience: z.infer<typeof appAudienceSchema>;
  clientId: string;
  credentialType: "secret" | "certificate";
  secretHint: string | null;
  hasSecret: boolean;
  hasCertificate: boolean;
  certificateThumbprintSha1: string | null;
  certificateThumbprintSha256: string | null;
  credentialExpiresAt: Date | null;
  credentialSetAt: Date | null;
  servicePrincipalObjectId: string | null;
  lastCheck: { at: Date; outcome: "ok" | "failed"; detail: Record<string, unknown> } | null;
  mailboxCount: number;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Awaited<ReturnType<ReturnType<typeof getDb>["appRegistration"]["findFirstOrThrow"]>> & { _count?: { mailboxes: number } };

export function toAppRegistrationView(row: Row): AppRegistrationView {
  const cloud = cloudIdSchema.parse(row.cloud);
  const customCloud = row.customCloud ? customCloudSchema.parse(JSON.parse(row.customCloud)) : null;
  return {
    id: row.id,
    label: row.label,
    cloud,
    cloudLabel: cloudLabel(cloud),
    customCloud,
    endpoints: endpointsOf(cloud, customCloud),
    tenant: row.tenant,
    audience: appAudienceSchema.parse(row.audience),
    clientId: row.clientId,
    credentialType: row.credentialType === "certificate" ? "certificate" : "secret",
    secretHint: row.secretHint,
    hasSecret: row.clientSecretEncrypted !== null,
    hasCertificate: row.privateKeyEncrypted !== null && row.certificatePem !== null,
    certificateThumbprintSha1: row.certificateThumbprintSha1,
    certificateThumbprintSha256: row.certificateThumbprintSha256,
    credentialExpiresAt: row.credentialExpiresAt,
    credentialSetAt: row.credentialSetAt,
    servicePrincipalObjectId: row.servicePrincipalObjectId,
    lastCheck:
      row.lastCheckAt && row.lastCheckOutcome
        ? { at: row.lastCheckAt, outcome: row.lastCheckOutcome === "ok" ? "ok" : "failed", detail: JSON.parse(row.lastCheckDetail ?? "{}") as Record<string, unknown> }
        : null,
    mailboxCount: row._count?.mailboxes ?? 0,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listAppRegistrations(): Promise<AppRegistrationView[]> {
  const rows = await getDb().appRegistration.findMany({ orderBy: { label: "asc" }, include: { _count: { select: { mailboxes: true } } } });
  return rows.map(toAppRegistrationView);
}

export async function getAppRegistration(id: string): Promise<AppRegistrationView | null> {
  const row = await getDb().appRegistration.findUnique({ where: { id }, include: { _count: { select: { mailboxes: true } } } });
  return row ? toAppRegistrationView(row) : null;
}
