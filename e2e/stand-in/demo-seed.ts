import { getDb, closeDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/db/migrate";
import { saveAppRegistration } from "@/lib/app-registrations/save-app-registration";
import { saveMailbox } from "@/lib/mailboxes/save-mailbox";
import { initVault } from "@/lib/vault/vault";

// Writes the demo's app registration (custom cloud = the running stand-in) and two mailboxes through
// the portal's own domain code. Idempotent: an existing demo app registration gets the stand-in's
// current hosts and CA (the CA may have been renewed).

const actor = { id: null, label: "demo" };
const meta = { ip: null, userAgent: "npm run demo" };
const LABEL = "Contoso (local stand-in)";

async function main(): Promise<void> {
  const env = getEnv();
  await applyMigrations({ databaseUrl: env.databaseUrl });
  initVault();
  const cloud = JSON.parse(process.env.DEMO_CLOUD ?? "{}") as Record<string, string>;
  const existing = await getDb().appRegistration.findUnique({ where: { label: LABEL } });
  const { appRegistration } = await saveAppRegistration(
    existing?.id ?? null,
    {
      label: LABEL,
      ...cloud,
      tenant: process.env.DEMO_TENANT,
      audience: "multi_tenant",
      clientId: process.env.DEMO_CLIENT_ID,
      credentialType: "secret",
      clientSecret: existing ? "" : process.env.DEMO_SECRET,
      credentialExpiresAt: "2028-12-31",
    },
    actor,
    meta,
  );
  for (const address of ["adele.vance@contoso.com", "megan.bowen@contoso.com"]) {
    if (await getDb().mailbox.findFirst({ where: { address } })) continue;
    await saveMailbox(null, { address, direction: "both", inboundProtocol: "imap", outboundProtocol: "smtp", authMode: "delegated", appRegistrationId: appRegistration.id, tags: "demo" }, actor, meta);
  }
  console.log(`Demo data ready: app registration “${LABEL}” and its mailboxes.`);
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => void closeDb());
