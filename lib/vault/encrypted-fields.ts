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
  { model: "grant", idField: "id", field: "refreshTokenEncrypted", context: (id) => `grant:${id}:refresh-token` },
  { model: "grant", idField: "id", field: "previousRefreshTokenEncrypted", context: (id) => `grant:${id}:previous-refresh-token` },
  // Composite key (grantId, resource): idField names both columns, comma-separated, and the id is their
  // values joined by "\n" (rotate-secrets.ts must split them; see lib/grants/grant-secrets.ts).
  {
    model: "grantAccessToken",
    idField: "grantId,resource",
    field: "tokenEncrypted",
    context: (id) => `grant:${id.slice(0, id.indexOf("\n"))}:access-token:${id.slice(id.indexOf("\n") + 1)}`,
  },
  { model: "consentRequest", idField: "stateHash", field: "codeVerifierEncrypted", context: (id) => `consent:${id}:code-verifier` },
  { model: "consentLink", idField: "id", field: "tokenEncrypted", context: (id) => `consent-link:${id}:token` },
  { model: "notificationChannel", idField: "id", field: "secretEncrypted", context: (id) => `notification-channel:${id}:secret` },
];

