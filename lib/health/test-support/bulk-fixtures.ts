import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_FIXTURES_PATH } from "@/e2e/stand-in/fixtures";
import { fixtureApps } from "@/e2e/support/stand-in-cloud";

// The stand-in's fixtures plus `count` shared mailboxes in contoso (bulk0001@contoso.com …), each granting
// FullAccess to the daemon app's service principal, so app-only checks over IMAP, POP3, SMTP and Graph pass
// for all of them against the real Dovecot, Postfix and Graph. For the sweep tests and the benchmark.

export interface BulkFixtures {
  path: string;
  addresses: string[];
  remove(): void;
}

export function writeBulkFixtures(count: number, prefix = "bulk"): BulkFixtures {
  const fixtures = JSON.parse(fs.readFileSync(DEFAULT_FIXTURES_PATH, "utf8")) as {
    tenants: Array<{ key: string; users: unknown[] }>;
    mailboxes: unknown[];
  };
  const contoso = fixtures.tenants.find((t) => t.key === "contoso");
  if (!contoso) throw new Error("the stand-in's fixtures have no contoso tenant");
  const addresses = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}@contoso.com`);
  for (const [i, address] of addresses.entries()) {
    contoso.users.push({ key: `${prefix}${i + 1}`, id: randomUUID(), upn: address, displayName: `Bulk mailbox ${i + 1}`, mail: address, accountEnabled: false });
    fixtures.mailboxes.push({
      address,
      kind: "shared",
      fullAccess: [fixtureApps.daemon.servicePrincipal],
      sendAs: [fixtureApps.daemon.servicePrincipal],
      switches: { imapDisabled: false, popDisabled: false, smtpAuthDisabled: false },
      messages: [{ from: "noreply@fabrikam.com", subject: `Hello ${i + 1}`, body: "A message to count.", seen: i % 2 === 0 }],
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bulk-fixtures-"));
  const file = path.join(dir, "fixtures.json");
  fs.writeFileSync(file, JSON.stringify(fixtures));
  return { path: file, addresses, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
