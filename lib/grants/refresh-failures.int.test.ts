// Issue #5 item 6 against the stand-in's armed faults: transient failures (429 with Retry-After, 500, a hang)
// are retried inside the call and, when they persist, recorded without changing the grant's state while the
// stored token keeps being served; permanent ones move the grant to the state that says who must act, are
// audited, and stop all further requests to Microsoft until a new consent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { refreshWithRefreshToken } from "@/lib/microsoft/token-endpoint";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { getAccessTokenForMailbox, GrantUnavailableError } from "@/lib/grants/get-access-token";
import { openRefreshToken } from "@/lib/grants/grant-secrets";
import { reactivateGrantsOfApp } from "@/lib/grants/reactivate-grants";
import { actor, connectDelegated, createMailbox, expireAccessTokens, meta, refreshCount, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { fixtureApps, standInCloudFields } from "@/e2e/support/stand-in-cloud";

const IMAP = { direction: "inbound", protocol: "imap" } as const;
const options = { policy: testPolicy };

async function connected(env: GrantTestEnv) {
  const mailboxId = await createMailbox(env);
  const { grantId, tokens } = await connectDelegated(env, mailboxId);
  return { mailboxId, grantId, tokens };
}

async function rejection(promise: Promise<unknown>): Promise<GrantUnavailableError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrantUnavailableError) return error;
    throw error;
  }
  throw new Error("expected a GrantUnavailableError");
}

describe("refresh failures on sqlite", () => {
  let env: GrantTestEnv;
  beforeAll(async () => {
    env = await startGrantTestEnv("sqlite");
  }, 120_000);
  afterAll(async () => env?.stop());
  beforeEach(async () => {
    await env.standIn.control.reset();
  });

  describe("transient", () => {
    it.each([
      ["HTTP 500", { kind: "server_error" }, 0],
      ["HTTP 429 with Retry-After: 1", { kind: "throttled", retryAfterSeconds: 1 }, 1000],
      ["no answer (hang)", { kind: "hang" }, testPolicy.attemptTimeoutMs!],
    ] as const)("%s once: retried inside the call, then the refresh succeeds", async (_, fault, minimumMs) => {
      const { mailboxId, grantId } = await connected(env);
      await expireAccessTokens(grantId);
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", ...fault });
      const started = Date.now();
      const token = await getAccessTokenForMailbox(mailboxId, IMAP, options);
      expect(Date.now() - started).toBeGreaterThanOrEqual(minimumMs);
      expect(token.fromCache).toBe(false);
      expect(await refreshCount(env)).toBe(2);
      expect(await getDb().grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ state: "active", failureCount: 0, lastError: null, nextAttemptAt: null });
    });

    it("persisting 500s: three attempts, recorded, state unchanged, the still-valid token served; then backoff asks nobody", async () => {
      const { mailboxId, grantId, tokens } = await connected(env);
      await expireAccessTokens(grantId, new Date(Date.now() + 2 * 60_000)); // valid for 2 more minutes: inside the refresh margin
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "server_error", times: 10 });
      const token = await getAccessTokenForMailbox(mailboxId, IMAP, options);
      expect(token).toMatchObject({ accessToken: tokens.accessToken, fromCache: true });
      expect(await refreshCount(env)).toBe(3);
      const grant = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      expect(grant).toMatchObject({ state: "active", failureCount: 1 });
      expect(grant.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
      expect(JSON.parse(grant.lastError!)).toMatchObject({ code: "AADSTS50000", permanent: false, actor: "retry" });
      // Within the backoff: served from storage, no request.
      expect((await getAccessTokenForMailbox(mailboxId, IMAP, options)).accessToken).toBe(tokens.accessToken);
      expect(await refreshCount(env)).toBe(3);
    });

    it("persisting failures with an expired token: upstream_unavailable with when to retry; after the backoff it recovers", async () => {
      const { mailboxId, grantId } = await connected(env);
      await expireAccessTokens(grantId);
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "hang", times: 10 });
      const error = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(error.code).toBe("upstream_unavailable");
      expect(error.explanation).toMatchObject({ code: "timeout", permanent: false });
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(await getDb().grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ state: "active", failureCount: 1 });
      const during = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(during.code).toBe("upstream_unavailable");
      const asked = await refreshCount(env);

      await env.standIn.control.clearFaults();
      const { nextAttemptAt } = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      await new Promise((r) => setTimeout(r, Math.max(0, nextAttemptAt!.getTime() - Date.now()) + 50));
      const token = await getAccessTokenForMailbox(mailboxId, IMAP, options);
      expect(token.fromCache).toBe(false);
      expect(await refreshCount(env)).toBe(asked + 1);
      expect(await getDb().grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ state: "active", failureCount: 0, lastError: null, nextAttemptAt: null });
    });

    it("a Retry-After longer than the call may wait is not waited out: it becomes nextAttemptAt", async () => {
      const { mailboxId, grantId } = await connected(env);
      await expireAccessTokens(grantId);
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "throttled", retryAfterSeconds: 30 });
      const started = Date.now();
      const error = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.code).toBe("upstream_unavailable");
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(await refreshCount(env)).toBe(1);
      const grant = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      expect(grant.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(started + 29_000);
      expect(grant.state).toBe("active");
    });
  });

  describe("permanent", () => {
    it.each([
      ["refresh_token_revoked", "AADSTS50173", "needs_consent", "mailbox_owner"],
      ["refresh_token_inactive", "AADSTS700082", "needs_consent", "mailbox_owner"],
      ["mfa_required", "AADSTS50076", "needs_consent", "mailbox_owner"],
      ["consent_required", "AADSTS65001", "needs_consent", "mailbox_owner"],
      ["conditional_access_blocked", "AADSTS53003", "blocked_by_policy", "admin"],
      ["invalid_client_secret", "AADSTS7000215", "credential_invalid", "admin"],
      ["expired_client_secret", "AADSTS7000222", "credential_invalid", "admin"],
      ["app_not_in_tenant", "AADSTS700016", "app_missing", "admin"],
    ] as const)("%s → %s: state %s, audited, no further requests until re-consent", async (kind, code, state, who) => {
      const { mailboxId, grantId, tokens } = await connected(env);
      await expireAccessTokens(grantId);
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind });
      const error = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(error.code).toBe(state);
      expect(error.explanation).toMatchObject({ code, permanent: true, grantState: state, actor: who });
      expect(await refreshCount(env)).toBe(1); // no retry, no fallback for a user-level or credential refusal

      const grant = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      expect(grant.state).toBe(state);
      expect(JSON.parse(grant.lastError!)).toMatchObject({ code, actor: who, fix: expect.any(String), traceId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const audit = await getDb().auditEvent.findMany({ where: { action: "grant.refresh_failed", targetId: mailboxId } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorId: null, actorLabel: "system" });
      expect(JSON.parse(audit[0]!.details)).toMatchObject({ state, error: code });
      expect(audit[0]!.details).not.toContain(tokens.refreshToken!.slice(0, 40));

      // Stopped: further calls are refused from the stored state without asking Microsoft.
      for (let i = 0; i < 3; i++) expect((await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options))).code).toBe(state);
      expect(await refreshCount(env)).toBe(1);

      // A new consent resets it.
      await connectDelegated(env, mailboxId);
      expect(await getDb().grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ state: "active", failureCount: 0, lastError: null });
      await expireAccessTokens(grantId);
      expect((await getAccessTokenForMailbox(mailboxId, IMAP, options)).fromCache).toBe(false);
    });

    it("an app credential fixed by the admin reactivates credential_invalid grants without a new consent; needs_consent stays", async () => {
      const byCredential = await connected(env);
      const byUser = await connected(env);
      await expireAccessTokens(byCredential.grantId);
      await expireAccessTokens(byUser.grantId);
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "expired_client_secret" });
      await expect(getAccessTokenForMailbox(byCredential.mailboxId, IMAP, options)).rejects.toMatchObject({ code: "credential_invalid" });
      await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "refresh_token_revoked" });
      await expect(getAccessTokenForMailbox(byUser.mailboxId, IMAP, options)).rejects.toMatchObject({ code: "needs_consent" });
      expect(await reactivateGrantsOfApp(env.portalAppId)).toBeGreaterThanOrEqual(1);
      expect((await getAccessTokenForMailbox(byCredential.mailboxId, IMAP, options)).fromCache).toBe(false);
      await expect(getAccessTokenForMailbox(byUser.mailboxId, IMAP, options)).rejects.toMatchObject({ code: "needs_consent" });
    });

    it("invalid_grant 70000 (a rotated-away token, the previous one too): needs_consent after trying both once", async () => {
      await env.standIn.control.updateSettings({ revokeRotatedRefreshTokens: true });
      const { mailboxId, grantId } = await connected(env);
      // Refresh once normally so a previous token is kept, then use both elsewhere so the stand-in refuses them.
      await expireAccessTokens(grantId);
      await getAccessTokenForMailbox(mailboxId, IMAP, options);
      const grant = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      const app = (await getAppRegistration(env.portalAppId))!;
      const elsewhere = await refreshWithRefreshToken({
        endpoints: app.endpoints,
        tenant: app.tenant,
        clientId: app.clientId,
        credential: { kind: "secret", secret: fixtureApps.portal.secret },
        scopes: ["https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"],
        refreshToken: openRefreshToken(grantId, grant.refreshTokenEncrypted!),
        trustedCaPem: env.standIn.caPem,
      });
      expect(elsewhere.ok).toBe(true);
      await env.standIn.control.clearRequests();
      await expireAccessTokens(grantId);
      const error = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(error).toMatchObject({ code: "needs_consent", explanation: { code: "AADSTS70000" } });
      expect((await env.standIn.control.requests({ endpoint: "token", grantType: "refresh_token" })).requests.map((r) => r.status)).toEqual([400, 400]);
    });

    it("90002: an app registration edited to a tenant that does not exist → app_missing", async () => {
      const { appRegistration } = await saveAppRegistration(
        null,
        { label: "Portal (tenant test)", ...standInCloudFields(env.standIn), tenant: "organizations", audience: "multi_tenant", clientId: fixtureApps.portal.clientId, credentialType: "secret", clientSecret: fixtureApps.portal.secret, credentialExpiresAt: "2027-06-30" },
        actor,
        meta,
      );
      const mailboxId = await createMailbox(env);
      await getDb().mailbox.update({ where: { id: mailboxId }, data: { appRegistrationId: appRegistration.id } });
      const { grantId } = await connectDelegated(env, mailboxId);
      await saveAppRegistration(
        appRegistration.id,
        { label: "Portal (tenant test)", ...standInCloudFields(env.standIn), tenant: "0d5e6f70-0000-4000-8000-00000000dead", audience: "multi_tenant", clientId: fixtureApps.portal.clientId, credentialType: "secret", clientSecret: "", credentialExpiresAt: "2027-06-30" },
        actor,
        meta,
      );
      await expireAccessTokens(grantId);
      const error = await rejection(getAccessTokenForMailbox(mailboxId, IMAP, options));
      expect(error).toMatchObject({ code: "app_missing", explanation: { code: "AADSTS90002", actor: "admin" } });
      expect((await getDb().grant.findUniqueOrThrow({ where: { id: grantId } })).state).toBe("app_missing");
    });
  });
});
