import { getDb } from "@/lib/db/client";
import { decryptWithRing, encryptWithRing, keyIdOfCiphertext } from "@/lib/vault/cipher";
import { encryptedFields } from "@/lib/vault/encrypted-fields";
import type { KeyRing } from "@/lib/vault/key-ring";

// Re-encrypts every stored secret that is not under the ring's primary key. Each row is updated
// only if it still holds the ciphertext we read (compare-and-set), so a secret written meanwhile by a
// running portal is never overwritten with an older value; such rows are picked up by running again.

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
  changedMeanwhile: number;
}

const BATCH = 500;

type Delegate = {
  findMany(args: unknown): Promise<Record<string, string | null>[]>;
  updateMany(args: unknown): Promise<{ count: number }>;
};

export async function reencryptAllSecrets(ring: KeyRing): Promise<RotationReport> {
  const db = getDb() as unknown as Record<string, Delegate>;
  const report: RotationReport = { reencrypted: 0, alreadyCurrent: 0, changedMeanwhile: 0 };
  for (const spec of encryptedFields) {
    const delegate = db[spec.model];
    if (!delegate) throw new Error(`Unknown model ${spec.model} in encryptedFields`);
    // A composite key ("grantId,resource") is named by its columns; its id is their values joined by "\n".
    const keyFields = spec.idField.split(",");
    const select = Object.fromEntries([...keyFields, spec.field].map((f) => [f, true]));
    // Offset paging ordered by the key is stable here: re-encryption never changes a key column.
    for (let skip = 0; ; skip += BATCH) {
      // No "not null" filter: it is invalid for required columns; empty values are skipped below.
      const rows = await delegate.findMany({
        select,
        orderBy: keyFields.map((f) => ({ [f]: "asc" })),
        skip,
        take: BATCH,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = keyFields.map((f) => row[f]!).join("\n");
        const sealed = row[spec.field];
        if (!sealed) continue;
        if (keyIdOfCiphertext(sealed) === ring.primary.id) {
          report.alreadyCurrent++;
          continue;
        }
        const resealed = encryptWithRing(ring, decryptWithRing(ring, sealed, spec.context(id)), spec.context(id));
        const { count } = await delegate.updateMany({
          where: { ...Object.fromEntries(keyFields.map((f) => [f, row[f]])), [spec.field]: sealed },
          data: { [spec.field]: resealed },
        });
        if (count === 1) report.reencrypted++;
        else report.changedMeanwhile++;
      }
    }
  }
  return report;
}
