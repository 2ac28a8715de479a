import fs from "node:fs";
import { getEnv } from "@/lib/env";
import { logWarn } from "@/lib/log";
import { decryptWithRing, encryptWithRing } from "@/lib/vault/cipher";
import { loadKeyRing, type KeyRing } from "@/lib/vault/key-ring";

// The process-wide vault. Keys load once. A key file changed by `npm run vault:rotate` in another
// process is read again (its mtime is checked on use), so a running portal encrypts under the new
// key from the moment it is written and can read secrets re-encrypted under it.

let ring: KeyRing | null = null;
let keyFileMtime = 0;

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function load(createIfMissing: boolean): KeyRing {
  const env = getEnv();
  const loaded = loadKeyRing({
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
  keyFileMtime = mtimeOf(loaded.keyFilePath);
  return loaded;
}

/** Loads (and on a first start, if allowed, creates) the key ring; throws KeyConfigError with a one-line fix. */
export function initVault(options: { createIfMissing: boolean } = { createIfMissing: true }): KeyRing {
  ring = load(options.createIfMissing);
  return ring;
}

export function getKeyRing(): KeyRing {
  if (!ring || mtimeOf(ring.keyFilePath) !== keyFileMtime) ring = load(false);
  return ring;
}

export function encryptSecret(plaintext: string, context: string): string {
  return encryptWithRing(getKeyRing(), plaintext, context);
}

export function decryptSecret(ciphertext: string, context: string): string {
  return decryptWithRing(getKeyRing(), ciphertext, context);
}

/** Last four characters, for a masked hint such as "••••abcd"; never more. */
export function secretHint(plaintext: string): string {
  return plaintext.length <= 8 ? "••••" : `••••${plaintext.slice(-4)}`;
}

export function resetVaultForTests(): void {
  ring = null;
}
