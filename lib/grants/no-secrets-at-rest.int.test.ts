// No token or secret in the database file, the audit trail, or anything written to stdout/stderr, after the
// whole lifecycle ran: consent, refreshes with rotation, a second resource, a transient and a permanent
// failure, keep-alive, app-only tokens. The SQLite file (and its WAL) is searched byte by byte.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { logInfo } from "@/lib/log";
import { confirmAppOnlyAccess } from "@/lib/consent/confirm-app-only-access";
import { getAccessTokenForMailbox } from "@/lib/grants/get-access-token";
import { openPreviousRefreshToken, openRefreshToken } from "@/lib/grants/grant-secrets";
import { refreshIdleGrants } from "@/lib/grants/keep-alive";
import { flushLastUsedWrites } from "@/lib/grants/touch-last-used";
import { actor, connectDelegated, createMailbox, expireAccessTokens, meta, startGrantTestEnv, testPolicy, type GrantTestEnv } from "@/lib/grants/test-support/grant-fixture";
import { fixtureApps } from "@/e2e/support/stand-in-cloud";

const IMAP = { direction: "inbound", protocol: "imap" } as const;
const GRAPH_SEND = { direction: "outbound", protocol: "graph" } as const;
const options = { policy: testPolicy };

/** Distinctive pieces of a secret: the whole value and slices from its middle and end (a JWT's start is shared by all JWTs). */
function needles(secret: string): string[] {
  if (secret.length < 60) return [secret];
  const mid = Math.floor(secret.length / 2);
  return [secret, secret.slice(mid, mid + 40), secret.slice(-40)];
}

describe("no token or secret at rest or in logs (sqlite)", () => {
  let env: GrantTestEnv;
  const written: string[] = [];
  beforeAll(async () => {
    env = await startGrantTestEnv("sqlite");
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await env?.stop();
  });

  it("after the whole lifecycle, none of them appears in the database file, audit rows or output", { timeout: 120_000 }, async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
    const found = new Set<string>([fixtureApps.portal.secret, fixtureApps.daemon.secret]);
    const keep = (s: string | null | undefined) => {
      if (s) found.add(s);
    };

    const mailboxId = await createMailbox(env, { inbound: "imap", outbound: "graph" });
    const { grantId, tokens } = await connectDelegated(env, mailboxId);
    keep(tokens.accessToken);
    keep(tokens.refreshToken);
    for (let i = 0; i < 2; i++) {
      await expireAccessTokens(grantId);
      keep((await getAccessTokenForMailbox(mailboxId, IMAP, options)).accessToken);
      const g = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
      keep(openRefreshToken(grantId, g.refreshTokenEncrypted!));
      keep(openPreviousRefreshToken(grantId, g.previousRefreshTokenEncrypted));
    }
    keep((await getAccessTokenForMailbox(mailboxId, GRAPH_SEND, options)).accessToken);

    // A transient failure (recorded in lastError) and a keep-alive refresh.
    await expireAccessTokens(grantId);
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "server_error", times: 3 });
    await getAccessTokenForMailbox(mailboxId, IMAP, options).catch(() => undefined);
    await getDb().grant.update({ where: { id: grantId }, data: { nextAttemptAt: null, consentedAt: new Date(Date.now() - 48 * 3600_000), refreshTokenIssuedAt: new Date(Date.now() - 48 * 3600_000), lastRefreshAt: null } });
    expect((await refreshIdleGrants({ idleHours: 24, policy: testPolicy })).refreshed).toBe(1);
    const g = await getDb().grant.findUniqueOrThrow({ where: { id: grantId } });
    keep(openRefreshToken(grantId, g.refreshTokenEncrypted!));

    // A permanent failure (audited) on a second grant.
    const other = await createMailbox(env);
    const second = await connectDelegated(env, other);
    keep(second.tokens.accessToken);
    keep(second.tokens.refreshToken);
    await expireAccessTokens(second.grantId);
    await env.standIn.control.armFault({ endpoint: "token", grantType: "refresh_token", kind: "refresh_token_revoked" });
    await getAccessTokenForMailbox(other, IMAP, options).catch(() => undefined);

    // App-only.
    const appOnly = await createMailbox(env, { address: "adele.vance@contoso.com", authMode: "app_only", inbound: "imap", outbound: null });
    await confirmAppOnlyAccess(env.daemonAppId, actor, meta, appOnly);
    keep((await getAccessTokenForMailbox(appOnly, IMAP, options)).accessToken);
    await flushLastUsedWrites();

    const secrets = [...found];
    expect(secrets.length).toBeGreaterThanOrEqual(12);

    const audit = JSON.stringify(await getDb().auditEvent.findMany());
    expect(audit).toContain("grant.refresh_failed");
    const grants = JSON.stringify(await getDb().grant.findMany());
    expect(grants).toContain("AADSTS50173"); // the permanent failure is there, explained
    const files = fs.readdirSync(env.db.dataDir).filter((f) => f.startsWith("portal.db"));
    expect(files).toContain("portal.db");
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(env.db.dataDir, f))));
    expect(bytes.length).toBeGreaterThan(10_000);
    logInfo("output capture probe");
    const output = written.join("");
    expect(output).toContain("output capture probe");
    for (const secret of secrets) {
      for (const needle of needles(secret)) {
        expect(bytes.includes(Buffer.from(needle, "utf8")), "database file").toBe(false);
        expect(audit.includes(needle), "audit rows").toBe(false);
        expect(grants.includes(needle), "grant rows").toBe(false);
        expect(output.includes(needle), "stdout/stderr").toBe(false);
      }
    }
    console.info(`[secrets] searched ${secrets.length} tokens and secrets in ${files.join(" + ")} (${bytes.length} bytes), audit rows and ${output.length} characters of output`);
  });
});
