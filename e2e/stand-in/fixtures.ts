// The fixture directory: tenants, users, app registrations and mailboxes the stand-in serves.
// One JSON file (fixtures.json), validated here; everything else reads the parsed Fixtures.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// Reference §1.2: the consumers (MSA) tenant has this fixed GUID.
export const CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

const guid = z.guid();
const address = z.email().transform((s) => s.toLowerCase());

const userSchema = z.object({
  key: z.string().min(1),
  id: guid,
  upn: address,
  displayName: z.string().min(1),
  givenName: z.string().optional(),
  surname: z.string().optional(),
  /** null: the user has no mailbox (no Exchange licence). */
  mail: address.nullable(),
  isAdmin: z.boolean().default(false),
  /** false: a directory object that cannot sign in (shared mailboxes). */
  accountEnabled: z.boolean().default(true),
});

const applicationAccessPolicySchema = z.object({
  clientId: guid,
  /** RestrictAccess: only these mailboxes (reference §4, Application Access Policy). */
  mailboxes: z.array(address),
});

const tenantSchema = z.object({
  key: z.string().min(1),
  id: guid,
  displayName: z.string().min(1),
  kind: z.enum(["organization", "consumers"]),
  domains: z.array(z.string().min(3).transform((s) => s.toLowerCase())),
  users: z.array(userSchema),
  applicationAccessPolicies: z.array(applicationAccessPolicySchema).default([]),
});

const secretSchema = z.object({
  /** The Secret ID shown in the portal: a GUID, NOT usable as a credential (reference §6, 7000215). */
  id: guid,
  value: z.string().min(16),
  endDateTime: z.iso.datetime(),
});

const certificateSchema = z.object({
  id: guid,
  subject: z.string().min(1),
});

const servicePrincipalSchema = z.object({
  tenant: z.string().min(1),
  /** Enterprise application object ID: the `oid` of app-only tokens (reference §4). */
  objectId: guid,
  /** Delegated permissions granted by an admin for all users (scope strings as requested). */
  adminGrantedScopes: z.array(z.string()),
  /** Application permissions granted (resource URI + role). */
  appRoles: z.array(z.string()),
});

const appSchema = z.object({
  key: z.string().min(1),
  clientId: guid,
  displayName: z.string().min(1),
  homeTenant: z.string().min(1),
  signInAudience: z.enum(["AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount"]),
  secrets: z.array(secretSchema),
  /** Certificates are generated at start-up; their PEM files are written to the state directory. */
  certificates: z.array(certificateSchema),
  redirectUris: z.array(z.url()),
  requiredResourceAccess: z.object({
    delegated: z.array(z.string()),
    application: z.array(z.string()),
  }),
  servicePrincipals: z.array(servicePrincipalSchema),
});

const mailboxSchema = z.object({
  address,
  kind: z.enum(["user", "shared"]),
  ownerUpn: address.optional(),
  fullAccess: z.array(z.string().min(1)),
  sendAs: z.array(z.string().min(1)),
  switches: z.object({
    imapDisabled: z.boolean(),
    popDisabled: z.boolean(),
    smtpAuthDisabled: z.boolean(),
  }),
  messages: z.array(
    z.object({
      from: address,
      subject: z.string(),
      body: z.string(),
      seen: z.boolean().optional(),
    }),
  ),
});

export const fixturesSchema = z
  .object({
    $comment: z.string().optional(),
    tenants: z.array(tenantSchema).min(1),
    apps: z.array(appSchema).min(1),
    mailboxes: z.array(mailboxSchema),
  })
  .superRefine((f, ctx) => {
    const tenantKeys = new Set(f.tenants.map((t) => t.key));
    const upns = new Set(f.tenants.flatMap((t) => t.users.map((u) => u.upn)));
    const spIds = new Set(f.apps.flatMap((a) => a.servicePrincipals.map((sp) => sp.objectId)));
    const seen = new Set<string>();
    for (const t of f.tenants) {
      for (const id of [t.id, ...t.domains]) {
        if (seen.has(id)) ctx.addIssue({ code: "custom", message: `tenant id/domain ${id} is used twice` });
        seen.add(id);
      }
    }
    for (const a of f.apps) {
      if (!tenantKeys.has(a.homeTenant)) ctx.addIssue({ code: "custom", message: `app ${a.key}: unknown homeTenant ${a.homeTenant}` });
      for (const sp of a.servicePrincipals) {
        if (!tenantKeys.has(sp.tenant)) ctx.addIssue({ code: "custom", message: `app ${a.key}: unknown SP tenant ${sp.tenant}` });
      }
      if (!a.servicePrincipals.some((sp) => sp.tenant === a.homeTenant)) {
        ctx.addIssue({ code: "custom", message: `app ${a.key}: needs a service principal in its home tenant` });
      }
    }
    for (const m of f.mailboxes) {
      if (!upns.has(m.address)) ctx.addIssue({ code: "custom", message: `mailbox ${m.address}: no directory user with that UPN` });
      for (const p of [...m.fullAccess, ...m.sendAs]) {
        if (!upns.has(p.toLowerCase()) && !spIds.has(p)) {
          ctx.addIssue({ code: "custom", message: `mailbox ${m.address}: permission holder ${p} is neither a UPN nor a service principal object ID` });
        }
      }
    }
  });

export type Fixtures = z.infer<typeof fixturesSchema>;
export type FixtureTenant = Fixtures["tenants"][number];
export type FixtureUser = FixtureTenant["users"][number];
export type FixtureApp = Fixtures["apps"][number];
export type FixtureSecret = FixtureApp["secrets"][number];
export type FixtureMailbox = Fixtures["mailboxes"][number];

export const DEFAULT_FIXTURES_PATH = path.join(import.meta.dirname, "fixtures.json");

export function loadFixtures(file: string = DEFAULT_FIXTURES_PATH): Fixtures {
  const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const result = fixturesSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data;
}
