// App-only tokens (issue #5 item 4) against the stand-in: client credentials per app + tenant + resource,
// cached in memory and in GrantAccessToken until 5 minutes before expiry; the app's credential refused →
// every app-only grant of that app stops with credential_invalid.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import { forgetAppOnlyTokens } from "@/lib/grants/app-only-token";
import { getAccessTokenForMailbox, GrantUnavailableError } from "@/lib/grants/get-access-token";
import { actor, createMailbox, expireAccessTokens, meta, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { fixtureApps } from "@/e2e/support/stand-in-cloud";

const IMAP = { direction: "inbound", protocol: "imap" } as const;
const SMTP = { direction: "outbound", protocol: "smtp" } as const;
const GRAPH_READ = { direction: "inbound", protocol: "graph" } as const;
const options = { policy: testPolicy };

describe("app-only tokens on sqlite", () => {
  let env: GrantTestEnv;
  const clientCredentials = () => env.standIn.control.countRequests({ endpoint: "token", grantType: "client_credentials" });

  beforeAll(async () => {
    env = await startGrantTestEnv("sqlite");
  }, 120_000);
  afterAll(async () => env?.stop());
  beforeEach(async () => {
    forgetAppOnlyTokens();
    await env.standIn.control.reset();
  });

  async function appOnlyMailbox(address: string, inbound: "imap" | "graph" = "imap"): Promise<string> {
    const id = await createMailbox(env, { address, authMode: "app_only", inbound, outbound: "smtp" });
    const confirmation = await confirmAppOnlyAccess(env.daemonAppId, actor, meta, id);
    expect(confirmation.ok).toBe(true);
    await env.standIn.control.clearRequests();
    return id;
  }

  it("one client-credentials request, then the cached token: in memory, and from the database in a fresh process", async () => {
    const mailboxId = await appOnlyMailbox("adele.vance@contoso.com");
    const first = await getAccessTokenForMailbox(mailboxId, IMAP, options);
    expect(first).toMatchObject({ fromCache: false, resource: "https://outlook.office365.com", claims: { aud: "https://outlook.office365.com" } });
    expect(first.claims.roles).toEqual(expect.arrayContaining(["IMAP.AccessAsApp", "SMTP.SendAsApp"]));
    expect(await env.standIn.verifyAccessToken(first.accessToken)).not.toBeNull();

    const second = await getAccessTokenForMailbox(mailboxId, IMAP, options);
    const smtp = await getAccessTokenForMailbox(mailboxId, SMTP, options); // same resource, same token
    expect(second).toMatchObject({ accessToken: first.accessToken, fromCache: true });
    expect(smtp.accessToken).toBe(first.accessToken);
    expect(await clientCredentials()).toBe(1);

    forgetAppOnlyTokens(); // as a new process would start
    const fromDb = await getAccessTokenForMailbox(mailboxId, IMAP, options);
    expect(fromDb).toMatchObject({ accessToken: first.accessToken, fromCache: true });
    expect(await clientCredentials()).toBe(1);

    const stored = await getDb().grantAccessToken.findMany({ where: { grant: { mailboxId } } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenEncrypted).not.toContain(first.accessToken.slice(0, 30));
  });

  it("another mailbox of the same app and tenant reuses the process's token; Graph is another resource", async () => {
    const a = await appOnlyMailbox("alex.wilber@contoso.com");
    const b = await appOnlyMailbox("support@contoso.com", "graph");
    const tokenA = await getAccessTokenForMailbox(a, IMAP, options);
    const tokenB = await getAccessTokenForMailbox(b, SMTP, options);
    expect(tokenB.accessToken).toBe(tokenA.accessToken);
    const graph = await getAccessTokenForMailbox(b, GRAPH_READ, options);
    expect(graph).toMatchObject({ resource: "https://graph.microsoft.com", fromCache: false });
    expect(graph.claims.roles).toEqual(expect.arrayContaining(["Mail.Read"]));
    expect(await clientCredentials()).toBe(2);
  });

  it("renews 5 minutes before expiry", async () => {
    const mailboxId = await appOnlyMailbox("megan.bowen@contoso.com");
    const first = await getAccessTokenForMailbox(mailboxId, IMAP, options);
    forgetAppOnlyTokens();
    const grant = await getDb().grant.findUniqueOrThrow({ where: { mailboxId } });
    await expireAccessTokens(grant.id, new Date(Date.now() + 4 * 60_000));
    const renewed = await getAccessTokenForMailbox(mailboxId, IMAP, options);
    expect(renewed.fromCache).toBe(false);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(await clientCredentials()).toBe(2);
  });

  it("the app's secret refused (7000215): every app-only grant of the app → credential_invalid, audited, no further requests", async () => {
    const a = await appOnlyMailbox("lee.gu@contoso.com");
    const b = await appOnlyMailbox("shared-desk@contoso.com", "graph");
    await env.standIn.control.armFault({ endpoint: "token", grantType: "client_credentials", kind: "invalid_client_secret", clientId: fixtureApps.daemon.clientId });
    const error = await getAccessTokenForMailbox(a, IMAP, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrantUnavailableError);
    expect(error).toMatchObject({ code: "credential_invalid", explanation: { code: "AADSTS7000215", actor: "admin" } });
    const states = await getDb().grant.findMany({ where: { mailboxId: { in: [a, b] } }, select: { state: true } });
    expect(states.map((s) => s.state)).toEqual(["credential_invalid", "credential_invalid"]);
    expect(await getDb().auditEvent.count({ where: { action: "grant.refresh_failed", targetId: { in: [a, b] } } })).toBe(2);
    await expect(getAccessTokenForMailbox(b, GRAPH_READ, options)).rejects.toMatchObject({ code: "credential_invalid" });
    expect(await clientCredentials()).toBe(1);

    // Confirming the app's access again (what the admin does after fixing the credential) reactivates them.
    await confirmAppOnlyAccess(env.daemonAppId, actor, meta);
    expect((await getAccessTokenForMailbox(b, GRAPH_READ, options)).fromCache).toBe(false);
  });

  it("a transient failure with nothing cached: upstream_unavailable, state unchanged", async () => {
    const mailboxId = await appOnlyMailbox("pradeep@contoso.com");
    await env.standIn.control.armFault({ endpoint: "token", grantType: "client_credentials", kind: "server_error", times: 5 });
    await expect(getAccessTokenForMailbox(mailboxId, IMAP, options)).rejects.toMatchObject({ code: "upstream_unavailable" });
    expect(await clientCredentials()).toBe(3);
    expect(await getDb().grant.findUniqueOrThrow({ where: { mailboxId } })).toMatchObject({ state: "active", failureCount: 1 });
  });
});
