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
    let cursor: string | undefined;
    for (;;) {
      const rows = await delegate.findMany({
        where: { [spec.field]: { not: null } },
        select: { [spec.idField]: true, [spec.field]: true },
        orderBy: { [spec.idField]: "asc" },
        take: 500,
        ...(cursor ? { cursor: { [spec.idField]: cursor }, skip: 1 } : {}),
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = row[spec.idField]!;
        const sealed = row[spec.field]!;
        if (keyIdOfCiphertext(sealed) === ring.primary.id) {
          report.alreadyCurrent++;
          continue;
        }
        const resealed = encryptWithRing(ring, decryptWithRing(ring, sealed, spec.context(id)), spec.context(id));
        const { count } = await delegate.updateMany({
          where: { [spec.idField]: id, [spec.field]: sealed },
          data: { [spec.field]: resealed },
        });
        if (count === 1) report.reencrypted++;
        else report.changedMeanwhile++;
      }
      cursor = rows[rows.length - 1]![spec.idField]!;
    }
  }
  return report;
}
