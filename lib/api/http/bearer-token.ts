/** The credentials of an `Authorization: Bearer <value>` header (RFC 6750 §2.1), or null. */
export function bearerTokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}
