import { getDb } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/vault/vault";
import { VaultError } from "@/lib/vault/cipher";

// A known value sealed on first start. If it does not open at the next start, the key in use is not
// the one the database was written with (a lost or swapped key file): refuse to start rather than
// write new secrets under a key that cannot read the old ones.

const KEY = "vault.canary";
const CONTEXT = "setting:vault.canary";
const VALUE = "mailbox-oauth-portal";

export async function checkVaultCanary(): Promise<void> {
  const db = getDb();
  const row = await db.setting.findUnique({ where: { key: KEY } });
  if (!row?.secretEncrypted) {
    await db.setting.upsert({
      where: { key: KEY },
      create: { key: KEY, value: "null", secretEncrypted: encryptSecret(VALUE, CONTEXT) },
      update: { secretEncrypted: encryptSecret(VALUE, CONTEXT) },
    });
    return;
  }
  try {
    if (decryptSecret(row.secretEncrypted, CONTEXT) !== VALUE) throw new VaultError("canary mismatch");
  } catch (e) {
    throw new VaultError(
      `The encryption key in use cannot read this database's secrets (${e instanceof Error ? e.message : "unknown"}). ` +
        "Restore the key that was used before (PORTAL_ENCRYPTION_KEY or the data directory's encryption.key) from your backup.",
    );
  }
}
