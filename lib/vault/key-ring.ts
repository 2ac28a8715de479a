import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Where the vault's keys come from (in this order of precedence):
//   PORTAL_ENCRYPTION_KEY            the primary key (base64 of exactly 32 bytes)
//   PORTAL_ENCRYPTION_PREVIOUS_KEYS  comma-separated older keys, readable during a rotation
//   <data dir>/encryption.key        generated on first start when no env key is set; first line is
//                                    the primary, further lines are older keys kept during a rotation
// A key's ID is derived from the key itself, so a ciphertext names the key that sealed it.

export const KEY_FILE_NAME = "encryption.key";
const HOW_TO_MAKE = "make one with: openssl rand -base64 32";

export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyConfigError";
  }
}

export interface VaultKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  primary: VaultKey;
  /** Every key that may decrypt, primary included, by ID. */
  byId: Map<string, VaultKey>;
  source: "env" | "file";
  keyFilePath: string;
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("mailbox-oauth-portal/key-id/").update(key).digest("hex").slice(0, 12);
}

/** Strict: base64 (or base64url) text that decodes to exactly 32 bytes and re-encodes to itself. */
export function parseKey(text: string, origin: string): VaultKey {
  const trimmed = text.trim();
  const normalised = trimmed.replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalised)) {
    throw new KeyConfigError(`${origin} is not base64; it must be the base64 of exactly 32 random bytes (${HOW_TO_MAKE}).`);
  }
  const key = Buffer.from(normalised, "base64");
  if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== normalised.replace(/=+$/, "")) {
    throw new KeyConfigError(
      `${origin} decodes to ${key.length} bytes; it must be the base64 of exactly 32 random bytes (${HOW_TO_MAKE}).`,
    );
  }
  return { id: keyIdOf(key), key };
}

export function generateKeyText(): string {
  return randomBytes(32).toString("base64");
}

export function readKeyFile(keyFilePath: string): VaultKey[] {
  const text = fs.readFileSync(keyFilePath, "utf8");
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  if (lines.length === 0) throw new KeyConfigError(`${keyFilePath} holds no key. Restore it from your backup.`);
  return lines.map((line, i) => parseKey(line, `${keyFilePath} line ${i + 1}`));
}

/** Writes the key file atomically with mode 0600: a crash leaves the old file or the new one, never half. */
export function writeKeyFile(keyFilePath: string, keys: VaultKey[]): void {
  fs.mkdirSync(path.dirname(keyFilePath), { recursive: true, mode: 0o700 });
  const body =
    "# Mailbox OAuth Portal encryption keys. BACK THIS FILE UP: without it the stored secrets are lost.\n" +
    "# First key encrypts; any further keys are older ones still being rotated away.\n" +
    keys.map((k) => k.key.toString("base64")).join("\n") +
    "\n";
  const tmp = `${keyFilePath}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, keyFilePath);
  fs.chmodSync(keyFilePath, 0o600);
}

export interface LoadKeyRingInput {
  envKey?: string;
  envPreviousKeys?: string;
  dataDir: string;
  /** Create the key file when no key exists at all (first start). */
  createIfMissing: boolean;
  onGenerated?: (keyFilePath: string) => void;
}

export function loadKeyRing(input: LoadKeyRingInput): KeyRing {
  const keyFilePath = path.join(input.dataDir, KEY_FILE_NAME);
  const fileExists = fs.existsSync(keyFilePath);
  const byId = new Map<string, VaultKey>();
  let primary: VaultKey;
  let source: KeyRing["source"];

  if (input.envKey !== undefined && input.envKey !== "") {
    primary = parseKey(input.envKey, "PORTAL_ENCRYPTION_KEY");
    source = "env";
  } else if (fileExists) {
    primary = readKeyFile(keyFilePath)[0]!;
    source = "file";
  } else if (input.createIfMissing) {
    primary = parseKey(generateKeyText(), "generated key");
    writeKeyFile(keyFilePath, [primary]);
    input.onGenerated?.(keyFilePath);
    source = "file";
  } else {
    throw new KeyConfigError(
      `No encryption key: set PORTAL_ENCRYPTION_KEY (${HOW_TO_MAKE}) or restore ${keyFilePath} from your backup.`,
    );
  }
  byId.set(primary.id, primary);

  for (const [i, text] of (input.envPreviousKeys ?? "").split(",").map((s) => s.trim()).filter(Boolean).entries()) {
    const k = parseKey(text, `PORTAL_ENCRYPTION_PREVIOUS_KEYS entry ${i + 1}`);
    byId.set(k.id, k);
  }
  // Keys in the file stay readable even when an env key is primary: this is how a portal moves
  // from its generated key to an env-managed one (set the env key, run vault:rotate).
  if (fileExists) for (const k of readKeyFile(keyFilePath)) if (!byId.has(k.id)) byId.set(k.id, k);

  return { primary, byId, source, keyFilePath };
}
