// Every database column that holds vault ciphertext, with the context its values are bound to.
// Rotation walks this list; a new encrypted column is added here or it will not be rotated
// (lib/vault/encrypted-fields.test.ts checks the schema for columns named *Encrypted).

export interface EncryptedField {
  /** Prisma model delegate name (camelCase). */
  model: string;
  /** Primary key column. */
  idField: string;
  field: string;
  context(id: string): string;
}

export const encryptedFields: EncryptedField[] = [
  { model: "setting", idField: "key", field: "secretEncrypted", context: (id) => `setting:${id}` },
  { model: "appRegistration", idField: "id", field: "clientSecretEncrypted", context: (id) => `app:${id}:client-secret` },
  { model: "appRegistration", idField: "id", field: "privateKeyEncrypted", context: (id) => `app:${id}:private-key` },
];

