// The live directory: tenants, users, app registrations, service principals, consent grants and
// mailboxes. Starts from the fixtures; consent, admin consent and the control API change it;
// reset() returns to the fixtures.
import type { CertificateCredential } from "./tls";
import { derivedGuid } from "./crypto/ids";
import {
  CONSUMERS_TENANT_ID,
  type FixtureApp,
  type FixtureMailbox,
  type Fixtures,
  type FixtureTenant,
  type FixtureUser,
} from "./fixtures";
import type { MailboxPolicy } from "./mail-contract";
import type { ResourceKey } from "./identity/resources";
import { resolvePermission } from "./identity/scopes";

export type Tenant = FixtureTenant;
export type User = FixtureUser & { tenantId: string };

export interface RegisteredApp {
  fixture: FixtureApp;
  clientId: string;
  displayName: string;
  homeTenantId: string;
  signInAudience: FixtureApp["signInAudience"];
  redirectUris: string[];
  certificates: Array<CertificateCredential & { id: string }>;
}

export interface ServicePrincipal {
  tenantId: string;
  clientId: string;
  objectId: string;
  /** "resource:Role" */
  appRoles: Set<string>;
}

const ALL_PRINCIPALS = "AllPrincipals";

export class Directory {
  readonly tenants: Tenant[];
  private apps = new Map<string, RegisteredApp>();
  private servicePrincipals = new Map<string, ServicePrincipal>();
  /** key: tenant|client|principal|resource → permission names */
  private delegatedGrants = new Map<string, Set<string>>();
  private mailboxes = new Map<string, MailboxPolicy>();
  private accessPolicies = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly fixtures: Fixtures,
    private readonly appCertificates: Map<string, Array<CertificateCredential & { id: string }>>,
  ) {
    this.tenants = fixtures.tenants;
    this.reset();
  }

  reset(): void {
    this.apps.clear();
    this.servicePrincipals.clear();
    this.delegatedGrants.clear();
    this.mailboxes.clear();
    this.accessPolicies.clear();
    for (const app of this.fixtures.apps) {
      const home = this.tenantByKey(app.homeTenant);
      this.apps.set(app.clientId, {
        fixture: app,
        clientId: app.clientId,
        displayName: app.displayName,
        homeTenantId: home.id,
        signInAudience: app.signInAudience,
        redirectUris: [...app.redirectUris],
        certificates: this.appCertificates.get(app.clientId) ?? [],
      });
      for (const sp of app.servicePrincipals) {
        const tenant = this.tenantByKey(sp.tenant);
        const principal = this.ensureServicePrincipal(tenant.id, app.clientId, sp.objectId);
        for (const role of sp.appRoles) {
          const p = resolvePermission(role, "application");
          principal.appRoles.add(`${p.resource}:${p.name}`);
        }
        for (const scope of sp.adminGrantedScopes) {
          const p = resolvePermission(scope, "delegated");
          this.grantDelegated(tenant.id, app.clientId, ALL_PRINCIPALS, p.resource, [p.name]);
        }
      }
    }
    for (const m of this.fixtures.mailboxes) this.mailboxes.set(m.address, clonePolicy(m));
    for (const t of this.tenants) {
      for (const p of t.applicationAccessPolicies) this.setAccessPolicy(t.id, p.clientId, p.mailboxes);
    }
  }

  // --- tenants and users -------------------------------------------------------------------

  tenantByKey(key: string): Tenant {
    const t = this.tenants.find((x) => x.key === key);
    if (!t) throw new Error(`unknown tenant key ${key}`);
    return t;
  }

  tenantById(id: string): Tenant | undefined {
    return this.tenants.find((t) => t.id === id.toLowerCase());
  }

  /** By GUID or verified domain (reference §1.2). */
  tenantByIdOrDomain(value: string): Tenant | undefined {
    const v = value.toLowerCase();
    if (v === CONSUMERS_TENANT_ID) return this.tenants.find((t) => t.kind === "consumers");
    return this.tenants.find((t) => t.kind === "organization" && (t.id === v || t.domains.includes(v)));
  }

  usersOf(tenant: Tenant): User[] {
    return tenant.users.map((u) => ({ ...u, tenantId: tenant.id }));
  }

  allUsers(): User[] {
    return this.tenants.flatMap((t) => this.usersOf(t));
  }

  /** By UPN or object ID. */
  findUser(ref: string): User | undefined {
    const r = ref.toLowerCase();
    return this.allUsers().find((u) => u.upn === r || u.id === r);
  }

  userById(tenantId: string, id: string): User | undefined {
    return this.allUsers().find((u) => u.tenantId === tenantId && u.id === id);
  }

  // --- applications ------------------------------------------------------------------------

  app(clientId: string): RegisteredApp | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  listApps(): RegisteredApp[] {
    return [...this.apps.values()];
  }

  addRedirectUri(clientId: string, uri: string): void {
    const app = this.app(clientId);
    if (!app) throw new Error(`unknown client ${clientId}`);
    if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
  }

  servicePrincipal(tenantId: string, clientId: string): ServicePrincipal | undefined {
    return this.servicePrincipals.get(`${tenantId}|${clientId.toLowerCase()}`);
  }

  servicePrincipalByObjectId(objectId: string): ServicePrincipal | undefined {
    return [...this.servicePrincipals.values()].find((sp) => sp.objectId === objectId.toLowerCase());
  }

  /** User or admin consent in a tenant creates the enterprise application (service principal). */
  ensureServicePrincipal(tenantId: string, clientId: string, objectId?: string): ServicePrincipal {
    const key = `${tenantId}|${clientId.toLowerCase()}`;
    let sp = this.servicePrincipals.get(key);
    if (!sp) {
      sp = { tenantId, clientId: clientId.toLowerCase(), objectId: (objectId ?? derivedGuid("sp", tenantId, clientId)).toLowerCase(), appRoles: new Set() };
      this.servicePrincipals.set(key, sp);
    }
    return sp;
  }

  grantAppRoles(tenantId: string, clientId: string, resource: ResourceKey, roles: string[]): void {
    const sp = this.ensureServicePrincipal(tenantId, clientId);
    for (const r of roles) sp.appRoles.add(`${resource}:${r}`);
  }

  appRoles(tenantId: string, clientId: string, resource: ResourceKey): string[] {
    const sp = this.servicePrincipal(tenantId, clientId);
    if (!sp) return [];
    return [...sp.appRoles].filter((r) => r.startsWith(`${resource}:`)).map((r) => r.slice(resource.length + 1));
  }

  /** principal: a user object ID, or undefined for an admin grant for all users. */
  grantDelegated(tenantId: string, clientId: string, principal: string | undefined, resource: ResourceKey, names: string[]): void {
    const key = `${tenantId}|${clientId.toLowerCase()}|${principal ?? ALL_PRINCIPALS}|${resource}`;
    const set = this.delegatedGrants.get(key) ?? new Set<string>();
    for (const n of names) set.add(n);
    this.delegatedGrants.set(key, set);
  }

  /** Delegated permissions the user (or an admin for everyone) granted the app for a resource. */
  grantedScopes(tenantId: string, clientId: string, userId: string, resource: ResourceKey): Set<string> {
    const out = new Set<string>();
    for (const principal of [userId, ALL_PRINCIPALS]) {
      for (const n of this.delegatedGrants.get(`${tenantId}|${clientId.toLowerCase()}|${principal}|${resource}`) ?? []) out.add(n);
    }
    return out;
  }

  /** Removes the user's own consent to the app (control API: "revoke grants"). */
  removeUserGrants(tenantId: string, clientId: string | undefined, userId: string): void {
    for (const key of [...this.delegatedGrants.keys()]) {
      const [t, c, p] = key.split("|");
      if (t === tenantId && p === userId && (!clientId || c === clientId.toLowerCase())) this.delegatedGrants.delete(key);
    }
  }

  // --- mailboxes ---------------------------------------------------------------------------

  mailbox(address: string): MailboxPolicy | undefined {
    return this.mailboxes.get(address.toLowerCase());
  }

  listMailboxes(): MailboxPolicy[] {
    return [...this.mailboxes.values()];
  }

  updateMailbox(address: string, change: { switches?: Partial<MailboxPolicy["switches"]>; fullAccess?: string[]; sendAs?: string[] }): MailboxPolicy {
    const m = this.mailbox(address);
    if (!m) throw new Error(`unknown mailbox ${address}`);
    if (change.switches) Object.assign(m.switches, change.switches);
    if (change.fullAccess) m.fullAccess = [...change.fullAccess];
    if (change.sendAs) m.sendAs = [...change.sendAs];
    return m;
  }

  /** Whether a principal (user UPN/object ID or service-principal object ID) holds FullAccess. */
  hasFullAccess(mailbox: MailboxPolicy, principal: { upn?: string; objectId: string }): boolean {
    return holds(mailbox.fullAccess, principal) || (mailbox.kind === "user" && principal.upn !== undefined && mailbox.ownerUpn === principal.upn.toLowerCase());
  }

  hasSendAs(mailbox: MailboxPolicy, principal: { upn?: string; objectId: string }): boolean {
    return holds(mailbox.sendAs, principal) || (mailbox.kind === "user" && principal.upn !== undefined && mailbox.ownerUpn === principal.upn.toLowerCase());
  }

  /** Application Access Policy (reference §4): undefined = no policy for this app, else the allowed set. */
  accessPolicy(tenantId: string, clientId: string): Set<string> | undefined {
    return this.accessPolicies.get(tenantId)?.get(clientId.toLowerCase());
  }

  setAccessPolicy(tenantId: string, clientId: string, mailboxes: string[] | null): void {
    const perTenant = this.accessPolicies.get(tenantId) ?? new Map<string, Set<string>>();
    if (mailboxes === null) perTenant.delete(clientId.toLowerCase());
    else perTenant.set(clientId.toLowerCase(), new Set(mailboxes.map((m) => m.toLowerCase())));
    this.accessPolicies.set(tenantId, perTenant);
  }

  /** The tenant whose directory holds a mailbox address. */
  mailboxTenant(address: string): Tenant | undefined {
    const user = this.findUser(address);
    return user ? this.tenantById(user.tenantId) : undefined;
  }
}

function holds(list: string[], principal: { upn?: string; objectId: string }): boolean {
  return list.some((p) => p.toLowerCase() === principal.objectId.toLowerCase() || (principal.upn !== undefined && p.toLowerCase() === principal.upn.toLowerCase()));
}

function clonePolicy(m: FixtureMailbox): MailboxPolicy {
  const policy: MailboxPolicy = {
    address: m.address,
    kind: m.kind,
    fullAccess: [...m.fullAccess],
    sendAs: [...m.sendAs],
    switches: { ...m.switches },
    messages: m.messages.map((x) => ({ ...x })),
  };
  if (m.ownerUpn) policy.ownerUpn = m.ownerUpn;
  return policy;
}
