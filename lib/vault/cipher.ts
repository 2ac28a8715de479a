import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "@/lib/vault/key-ring";

// AES-256-GCM with a random 96-bit IV and a 128-bit tag. The ciphertext text is
//   v1.<keyId>.<base64url(iv | ciphertext | tag)>
// and the caller's context string (e.g. "setting:smtp") is bound as additional authenticated data,
// so a ciphertext copied to another row or field fails to open instead of yielding another secret.
// There is no plaintext fallback and no other mode: a value that does not open is an error.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultError";
  }
}

export function encryptWithRing(ring: KeyRing, plaintext: string, context: string): string {
  if (!context) throw new VaultError("A vault context is required.");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.primary.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]);
  return `${VERSION}.${ring.primary.id}.${sealed.toString("base64url")}`;
}

export function keyIdOfCiphertext(ciphertext: string): string {
  const parts = ciphertext.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[0-9a-f]{12}$/.test(parts[1]!)) {
    throw new VaultError("Not a vault ciphertext (unknown format).");
  }
  return parts[1]!;
}

export function decryptWithRing(ring: KeyRing, ciphertext: string, context: string): string {
  const keyId = keyIdOfCiphertext(ciphertext);
  const key = ring.byId.get(keyId);
  if (!key) {
    throw new VaultError(
      `This secret was encrypted with key ${keyId}, which is not loaded (loaded: ${[...ring.byId.keys()].join(", ")}). ` +
        "Restore the key from backup (PORTAL_ENCRYPTION_KEY, PORTAL_ENCRYPTION_PREVIOUS_KEYS or the data directory's encryption.key).",
    );
  }
  const sealed = Buffer.from(ciphertext.split(".")[2]!, "base64url");
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new VaultError("Vault ciphertext is truncated.");
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new VaultError(`Vault ciphertext failed its integrity check (tampered, or stored under another field than ${context}).`);
  }
}
