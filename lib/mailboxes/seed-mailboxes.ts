import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { encodeTags } from "@/lib/mailboxes/mailbox-form";
import { encryptSecret, secretHint } from "@/lib/vault/vault";
import { secretContext } from "@/lib/app-registrations/save-app-registration";

// Bulk test data for benchmarks and demos: app registrations and N mailboxes spread across them,
// written in batches. Never used by the portal itself.

const TAGS = ["helpdesk", "sales", "eu", "us", "finance", "hr", "shared", "vip"];
const INBOUND = ["imap", "pop3", "graph", "imap"] as const;
const OUTBOUND = ["smtp", "graph", "smtp"] as const;

export async function seedMailboxes(count: number, options: { apps?: number; prefix?: string } = {}): Promise<{ apps: number; mailboxes: number }> {
  const db = getDb();
  const appCount = options.apps ?? 5;
  const prefix = options.prefix ?? "seed";
  const appIds: string[] = [];
  for (let i = 0; i < appCount; i++) {
    const id = randomUUID();
    const secret = `Seed8Q~${randomUUID().replaceAll("-", "")}`;
    await db.appRegistration.create({
      data: {
        id,
        label: `${prefix} app ${i + 1}`,
        cloud: i % 4 === 3 ? "usgov-gcchigh" : "global",
        tenant: `${prefix}${i + 1}.onmicrosoft.com`,
        audience: "single_tenant",
        clientId: randomUUID(),
        credentialType: "secret",
        clientSecretEncrypted: encryptSecret(secret, secretContext(id)),
        secretHint: secretHint(secret),
        credentialExpiresAt: new Date(Date.now() + (20 + i * 60) * 86_400_000),
        credentialSetAt: new Date(),
      },
    });
    appIds.push(id);
  }
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let n = start; n < Math.min(count, start + BATCH); n++) {
      const direction = n % 3 === 0 ? "both" : n % 3 === 1 ? "inbound" : "outbound";
      const inbound = direction === "outbound" ? null : INBOUND[n % INBOUND.length]!;
      const outbound = direction === "inbound" ? null : OUTBOUND[n % OUTBOUND.length]!;
      rows.push({
        address: `${prefix}.mailbox${String(n).padStart(5, "0")}@${prefix}${(n % appCount) + 1}.onmicrosoft.com`,
        displayName: `Mailbox ${n}`,
        direction,
        inboundProtocol: inbound,
        inboundHost: inbound === "imap" || inbound === "pop3" ? "outlook.office365.com" : null,
        inboundPort: inbound === "imap" ? 993 : inbound === "pop3" ? 995 : null,
        inboundSecurity: inbound === "imap" || inbound === "pop3" ? "tls" : null,
        outboundProtocol: outbound,
        outboundHost: outbound === "smtp" ? "smtp.office365.com" : null,
        outboundPort: outbound === "smtp" ? 587 : null,
        outboundSecurity: outbound === "smtp" ? "starttls" : null,
        authMode: n % 5 === 0 ? "app_only" : "delegated",
        appRegistrationId: appIds[n % appCount]!,
        tags: encodeTags([TAGS[n % TAGS.length]!, ...(n % 7 === 0 ? ["vip"] : [])].filter((t, i, a) => a.indexOf(t) === i)),
      });
    }
    await db.mailbox.createMany({ data: rows });
  }
  return { apps: appCount, mailboxes: count };
}
