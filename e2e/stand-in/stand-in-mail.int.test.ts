// The whole stand-in with the mail servers (./mail): tokens from the stand-in's identity platform
// authenticate IMAP (imapflow) and SMTP (nodemailer) with XOAUTH2, and a Graph-audience token is
// refused. The mail servers' own behaviour is tested in ./mail; this checks the contract between
// the two halves. Skipped while ./mail/start-mail-servers.ts does not exist.
import fs from "node:fs";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIL_MODULE_PATH } from "./mail-contract";
import { startStandIn, type StandIn } from "./start-stand-in";
import { signInTokens } from "./test-support/raw-oauth";
import { portalApp, REDIRECT_URI } from "./test-support/fixture-ids";

const hasMail = fs.existsSync(MAIL_MODULE_PATH);
let standIn: StandIn;

beforeAll(async () => {
  if (hasMail) standIn = await startStandIn({ mail: true });
});
afterAll(async () => {
  await standIn?.stop();
});

async function delegated(upn: string, scopes: string[]): Promise<string> {
  const t = await signInTokens(standIn, { tenant: "organizations", clientId: portalApp.clientId, clientSecret: portalApp.secrets[0]!.value, scopes: [...scopes, "offline_access"], redirectUri: REDIRECT_URI }, upn);
  return t.access_token;
}

function imap(user: string, accessToken: string): ImapFlow {
  return new ImapFlow({ host: standIn.mail!.imap.host, port: standIn.mail!.imap.port, secure: true, auth: { user, accessToken }, tls: { ca: standIn.caPem }, logger: false });
}

describe.skipIf(!hasMail)("stand-in tokens at the mail servers", () => {
  it("an Outlook IMAP token logs Adele in over IMAP XOAUTH2 and sees her inbox", async () => {
    const token = await delegated("adele.vance@contoso.com", ["https://outlook.office.com/IMAP.AccessAsUser.All"]);
    const client = imap("adele.vance@contoso.com", token);
    await client.connect();
    const status = await client.status("INBOX", { messages: true });
    expect(status && status.messages).toBe(3);
    await client.logout();
  });

  it("a Graph token is refused by IMAP (reference §2.1)", async () => {
    const token = await delegated("adele.vance@contoso.com", ["https://graph.microsoft.com/Mail.Read"]);
    await expect(imap("adele.vance@contoso.com", token).connect()).rejects.toThrow();
  });

  it("SMTP XOAUTH2 with an SMTP.Send token delivers where a test can read it", async () => {
    const token = await delegated("adele.vance@contoso.com", ["https://outlook.office.com/SMTP.Send"]);
    const transport = nodemailer.createTransport({ host: standIn.mail!.smtp.host, port: standIn.mail!.smtp.port, secure: false, requireTLS: true, auth: { type: "OAuth2", user: "adele.vance@contoso.com", accessToken: token }, tls: { ca: standIn.caPem } });
    await transport.sendMail({ from: "adele.vance@contoso.com", to: "megan.bowen@contoso.com", subject: "stand-in smoke", text: "hello" });
    const delivered = await standIn.control.delivered("megan.bowen@contoso.com");
    expect(delivered.some((d) => d.raw.includes("Subject: stand-in smoke"))).toBe(true);
  });
});
