// Shared set-up for the adapters' integration tests: one stand-in per test file (or the run's,
// through STAND_IN_STATE_FILE), tokens from its identity platform, inputs pointing at its servers,
// and a check runner that fails the test if the token ever shows up in an outcome.
import net from "node:net";
import { expect } from "vitest";
import { daemonApp, portalApp } from "../../../e2e/stand-in/test-support/fixture-ids";
import { standInForTests, type TestStandIn } from "../../../e2e/stand-in/test-support/stand-in-for-tests";
import type { StandInClient } from "../../../e2e/stand-in/start-stand-in";
import { runProtocolCheck, type CheckInput, type CheckOutcome } from "../protocol-check";
import { buildXoauth2InitialResponse } from "../xoauth2";

export const ADELE = "adele.vance@contoso.com";
export const MEGAN = "megan.bowen@contoso.com";
export const ALEX = "alex.wilber@contoso.com";
export const SUPPORT = "support@contoso.com";

export const SCOPE = {
  imap: "https://outlook.office.com/IMAP.AccessAsUser.All",
  pop3: "https://outlook.office.com/POP.AccessAsUser.All",
  smtp: "https://outlook.office.com/SMTP.Send",
  ews: "https://outlook.office365.com/EWS.AccessAsUser.All",
  graphRead: "https://graph.microsoft.com/Mail.Read",
  graphReadShared: "https://graph.microsoft.com/Mail.Read.Shared",
  graphSend: "https://graph.microsoft.com/Mail.Send",
} as const;

export interface StandInChecks {
  standIn: StandInClient;
  release(): Promise<void>;
  /** A delegated token for `user` from the portal app (negative lifetime = expired). */
  delegated(user: string, scopes: string[], expiresInSeconds?: number): Promise<string>;
  /** An app-only token of the daemon app in contoso through the real client-credentials grant. */
  appOnly(scope: "https://outlook.office365.com/.default" | "https://graph.microsoft.com/.default"): Promise<string>;
  /** An app-only token with exactly these roles (minted). */
  appOnlyWithRoles(scope: string, roles: string[]): Promise<string>;
  /** Messages and unseen count of a fixture mailbox's inbox. */
  fixtureCounts(address: string): { messages: number; unseen: number };
}

export async function startStandInChecks(): Promise<StandInChecks> {
  const test: TestStandIn = await standInForTests({ mail: true });
  const { standIn } = test;
  if (!standIn.mail) throw new Error("the stand-in runs without its mail servers");
  const daemonSecret = daemonApp.secrets[0]!.value;
  return {
    standIn,
    release: () => test.release(),
    async delegated(user, scopes, expiresInSeconds) {
      const minted = await standIn.control.mintToken({ kind: "delegated", user, clientId: portalApp.clientId, scopes, ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}) });
      return minted.access_token;
    },
    async appOnly(scope) {
      const res = await standIn.fetch(`${standIn.urls.authority("contoso.com")}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: daemonApp.clientId, client_secret: daemonSecret, scope }).toString(),
      });
      const body = JSON.parse(await res.text()) as { access_token?: string; error_description?: string };
      if (!body.access_token) throw new Error(`client credentials failed: ${body.error_description ?? res.status}`);
      return body.access_token;
    },
    async appOnlyWithRoles(scope, roles) {
      const minted = await standIn.control.mintToken({ kind: "app", tenant: "contoso.com", clientId: daemonApp.clientId, scope, roles });
      return minted.access_token;
    },
    fixtureCounts(address) {
      const box = standIn.fixtures.mailboxes.find((m) => m.address === address);
      if (!box) throw new Error(`no fixture mailbox ${address}`);
      return { messages: box.messages.length, unseen: box.messages.filter((m) => !m.seen).length };
    },
  };
}

/** Runs a check and asserts that neither the token nor the XOAUTH2 blob appears anywhere in the outcome. */
export async function check(input: CheckInput): Promise<CheckOutcome> {
  const outcome = await runProtocolCheck(input);
  const text = JSON.stringify(outcome);
  expect(text).not.toContain(input.accessToken);
  expect(text).not.toContain(buildXoauth2InitialResponse(input.mailbox, input.accessToken));
  // Also no fragment long enough to be useful: the JWT's signature part.
  const signature = input.accessToken.split(".")[2];
  if (signature && signature.length > 20) expect(text).not.toContain(signature);
  return outcome;
}

/** Narrows an outcome to a failure (with a readable test message otherwise). */
export function failed(outcome: CheckOutcome): Extract<CheckOutcome, { ok: false }> {
  if (outcome.ok) throw new Error(`expected a failure, got success: ${JSON.stringify(outcome.details)}`);
  return outcome;
}

export function succeeded(outcome: CheckOutcome): Extract<CheckOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.errorClass} at ${outcome.stage}: ${outcome.serverResponse ?? ""} / ${outcome.diagnosis ?? ""}`);
  return outcome;
}

/** A local port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
