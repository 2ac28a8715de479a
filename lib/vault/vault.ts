import { getEnv } from "@/lib/env";
import { logWarn } from "@/lib/log";
import { decryptWithRing, encryptWithRing, keyIdOfCiphertext } from "@/lib/vault/cipher";
import { loadKeyRing, type KeyRing } from "@/lib/vault/key-ring";

// The process-wide vault. Keys load once; when a ciphertext names a key this process does not
// have (another process rotated the key file), the ring is read again once before giving up.

let ring: KeyRing | null = null;

function load(createIfMissing: boolean): KeyRing {
  const env = getEnv();
  return loadKeyRing({
    envKey: env.PORTAL_ENCRYPTION_KEY,
    envPreviousKeys: env.PORTAL_ENCRYPTION_PREVIOUS_KEYS,
    dataDir: env.dataDir,
    createIfMissing,
    onGenerated: (file) =>
      logWarn(
        `Generated a new encryption key at ${file} (mode 0600). Back this file up now: without it every stored secret is lost. ` +
          "To manage the key yourself, set PORTAL_ENCRYPTION_KEY instead.",
      ),
  });
}

/** Loads (and on first start creates) the key ring; throws KeyConfigError with a one-line fix. */
export function initVault(): KeyRing {
  ring = load(true);
  return ring;
}

export function getKeyRing(): KeyRing {
  ring ??= load(false);
  return ring;
}

export function encryptSecret(plaintext: string, context: string): string {
  return encryptWithRing(getKeyRing(), plaintext, context);
}

export function decryptSecret(ciphertext: string, context: string): string {
  const current = getKeyRing();
  if (!current.byId.has(keyIdOfCiphertext(ciphertext))) ring = load(false);
  return decryptWithRing(getKeyRing(), ciphertext, context);
}

/** Last four characters, for a masked hint such as "••••abcd"; never more. */
export function secretHint(plaintext: string): string {
  return plaintext.length <= 8 ? "••••" : `••••${plaintext.slice(-4)}`;
}

export function resetVaultForTests(): void {
  ring = null;
}
