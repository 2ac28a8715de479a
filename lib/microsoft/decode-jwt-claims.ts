// Reads a JWT's payload without verifying it: for showing a token's non-secret claims (reference §7:
// decoded Exchange tokens are for debugging only). Personal-account tokens are opaque: null.

export function decodeJwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims a token inspector may show: never the token or its signature. */
export interface DisplayClaims {
  aud?: string;
  iss?: string;
  tid?: string;
  appid?: string;
  oid?: string;
  upn?: string;
  scp?: string;
  roles?: string[];
  idtyp?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
}

export function displayClaimsOf(claims: Record<string, unknown>): DisplayClaims {
  const out: DisplayClaims = {};
  for (const key of ["aud", "iss", "tid", "appid", "oid", "scp", "idtyp"] as const) {
    const v = claims[key];
    if (typeof v === "string") out[key] = v;
  }
  const upn = claims["upn"] ?? claims["unique_name"] ?? claims["preferred_username"];
  if (typeof upn === "string") out.upn = upn;
  const appid = claims["appid"] ?? claims["azp"];
  if (typeof appid === "string") out.appid = appid;
  if (Array.isArray(claims["roles"])) out.roles = claims["roles"].filter((r): r is string => typeof r === "string");
  for (const key of ["exp", "nbf", "iat"] as const) {
    const v = claims[key];
    if (typeof v === "number") out[key] = v;
  }
  return out;
}
