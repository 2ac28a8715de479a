import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decryptWithRing, encryptWithRing, VaultError } from "@/lib/vault/cipher";
import { generateKeyText, loadKeyRing, parseKey, KeyConfigError } from "@/lib/vault/key-ring";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "vault-test-"));
}

function ringWith(primary: string, previous?: string) {
  return loadKeyRing({ envKey: primary, envPreviousKeys: previous, dataDir: tempDir(), createIfMissing: false });
}

describe("vault cipher", () => {
  const keyA = generateKeyText();
  const keyB = generateKeyText();

  it("round-trips and never produces the same ciphertext twice", () => {
    const ring = ringWith(keyA);
    const a = encryptWithRing(ring, "s3cret~value", "setting:smtp");
    const b = encryptWithRing(ring, "s3cret~value", "setting:smtp");
    expect(a).not.toEqual(b);
    expect(a).not.toContain("s3cret");
    expect(a.split(".")[1]).toBe(ring.primary.id);
    expect(decryptWithRing(ring, a, "setting:smtp")).toBe("s3cret~value");
  });

  it("refuses a tampered ciphertext", () => {
    const ring = ringWith(keyA);
    const sealed = encryptWithRing(ring, "refresh-token-value", "grant:1");
    const [v, id, body] = sealed.split(".") as [string, string, string];
    const bytes = Buffer.from(body, "base64url");
    bytes[14] = bytes[14]! ^ 0x01;
    expect(() => decryptWithRing(ring, `${v}.${id}.${bytes.toString("base64url")}`, "grant:1")).toThrow(VaultError);
  });

  it("refuses a ciphertext moved to another field or row", () => {
    const ring = ringWith(keyA);
    const sealed = encryptWithRing(ring, "value", "grant:1");
    expect(() => decryptWithRing(ring, sealed, "grant:2")).toThrow(/integrity/);
  });

  it("refuses a ciphertext under a key that is not loaded, naming the key", () => {
    const sealed = encryptWithRing(ringWith(keyA), "value", "c");
    const other = ringWith(keyB);
    expect(() => decryptWithRing(other, sealed, "c")).toThrow(/not loaded/);
  });

  it("reads values under a previous key while the primary encrypts", () => {
    const old = encryptWithRing(ringWith(keyA), "old", "c");
    const rotated = ringWith(keyB, keyA);
    expect(decryptWithRing(rotated, old, "c")).toBe("old");
    expect(encryptWithRing(rotated, "new", "c").split(".")[1]).toBe(parseKey(keyB, "k").id);
  });

  it("refuses malformed ciphertext text", () => {
    const ring = ringWith(keyA);
    expect(() => decryptWithRing(ring, "plaintext", "c")).toThrow(VaultError);
    expect(() => decryptWithRing(ring, `v1.${ring.primary.id}.AAAA`, "c")).toThrow(/truncated/);
  });
});

describe("vault keys", () => {
  it("accepts exactly 32 bytes of base64 and refuses anything else, naming the variable", () => {
    expect(parseKey(Buffer.alloc(32, 7).toString("base64"), "PORTAL_ENCRYPTION_KEY").key.length).toBe(32);
    expect(() => parseKey(Buffer.alloc(16, 7).toString("base64"), "PORTAL_ENCRYPTION_KEY")).toThrow(
      /PORTAL_ENCRYPTION_KEY decodes to 16 bytes.*openssl rand -base64 32/,
    );
    expect(() => parseKey("not base64 at all!", "PORTAL_ENCRYPTION_KEY")).toThrow(KeyConfigError);
    // a hex string of 64 characters is 32 bytes of hex, not base64 of 32 bytes: refused, not guessed
    expect(() => parseKey("a".repeat(64), "PORTAL_ENCRYPTION_KEY")).toThrow(/decodes to 48 bytes/);
  });

  it("generates a key file with mode 0600 on first start and reuses it after", () => {
    const dir = tempDir();
    let announced = "";
    const first = loadKeyRing({ dataDir: dir, createIfMissing: true, onGenerated: (f) => (announced = f) });
    expect(announced).toBe(path.join(dir, "encryption.key"));
    expect(fs.statSync(announced).mode & 0o777).toBe(0o600);
    const second = loadKeyRing({ dataDir: dir, createIfMissing: false });
    expect(second.primary.id).toBe(first.primary.id);
    expect(second.source).toBe("file");
  });

  it("refuses to start without any key when not allowed to create one", () => {
    expect(() => loadKeyRing({ dataDir: tempDir(), createIfMissing: false })).toThrow(/No encryption key/);
  });

  it("keeps the file's keys readable when an env key takes over", () => {
    const dir = tempDir();
    const fileRing = loadKeyRing({ dataDir: dir, createIfMissing: true });
    const sealed = encryptWithRing(fileRing, "v", "c");
    const envRing = loadKeyRing({ envKey: generateKeyText(), dataDir: dir, createIfMissing: false });
    expect(envRing.source).toBe("env");
    expect(decryptWithRing(envRing, sealed, "c")).toBe("v");
  });
});
