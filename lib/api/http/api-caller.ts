/** Who is calling the token API, for audit records: the key (by prefix, never the key) and where from. */
export interface ApiCaller {
  keyId: string;
  keyPrefix: string;
  ip: string | null;
  userAgent: string | null;
}

export const actorOfCaller = (caller: Pick<ApiCaller, "keyPrefix">) => ({ id: null, label: `api-key:${caller.keyPrefix}` });
