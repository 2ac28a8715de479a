import { getEnv } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { generateKeyText, loadKeyRing, parseKey, readKeyFile, writeKeyFile, type KeyRing } from "@/lib/vault/key-ring";
import { reencryptAllSecrets } from "@/lib/vault/rotate-secrets";

// npm run vault:rotate
//  - key from the data directory: makes a new key, keeps the old one readable in the file while
//    every secret is re-encrypted, then drops the old key. A crash leaves both keys in the file;
//    running the command again finishes the job.
//  - key from PORTAL_ENCRYPTION_KEY: re-encrypts everything under that key; older keys must be in
//    PORTAL_ENCRYPTION_PREVIOUS_KEYS (or the key file) while this runs. Remove them afterwards.

async function main(): Promise<void> {
  const env = getEnv();
  let ring: KeyRing = loadKeyRing({
    envKey: env.PORTAL_ENCRYPTION_KEY,
    envPreviousKeys: env.PORTAL_ENCRYPTION_PREVIOUS_KEYS,
    dataDir: env.dataDir,
    createIfMissing: false,
  });

  if (ring.source === "file") {
    const fileKeys = readKeyFile(ring.keyFilePath);
    // A rotation interrupted earlier left [new, old...] in the file: finish with the same new key.
    if (fileKeys.length === 1 || process.argv.includes("--new-key")) {
      const fresh = parseKey(generateKeyText(), "generated key");
      writeKeyFile(ring.keyFilePath, [fresh, ...fileKeys]);
      console.log(`New key ${fresh.id} written to ${ring.keyFilePath}; old key(s) ${fileKeys.map((k) => k.id).join(", ")} kept until done.`);
    } else {
      console.log(`Finishing an interrupted rotation to key ${fileKeys[0]!.id}.`);
    }
    ring = loadKeyRing({ dataDir: env.dataDir, createIfMissing: false });
  }

  const report = await reencryptAllSecrets(ring);
  console.log(
    `Re-encrypted ${report.reencrypted} secret(s) under key ${ring.primary.id}; ${report.alreadyCurrent} already used it` +
      (report.changedMeanwhile ? `; ${report.changedMeanwhile} changed meanwhile (run again to finish them).` : "."),
  );
  if (report.changedMeanwhile > 0) {
    process.exitCode = 2;
    return;
  }
  if (ring.source === "file") {
    writeKeyFile(ring.keyFilePath, [ring.primary]);
    console.log(`Old key(s) removed from ${ring.keyFilePath}. Back up this file now: the previous backup no longer opens the secrets.`);
  } else {
    console.log("Done. Remove PORTAL_ENCRYPTION_PREVIOUS_KEYS from every instance and back up the new PORTAL_ENCRYPTION_KEY.");
  }
}

main()
  .catch((e: unknown) => {
    console.error(`vault:rotate failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => void closeDb());
