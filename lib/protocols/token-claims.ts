// Reads an access token's claims WITHOUT verifying it (reference §7: decoding is for diagnosis
// only; the resource server decides). Used to say why a server refused a token when the server
// itself only says "failed", and to see whether Graph Mail.Send was granted.

export interface AccessTokenClaims {
  aud?: string;
  /** Delegated permissions (`scp`, space-separated in the token). */
  scopes: string[];
  /** App-only permissions (`roles`). */
  roles: string[];
  /** Expiry, seconds since the epoch. */
  exp?: number;
  nbf?: number;
  /** The signed-in user (upn, unique_name or preferred_username), lower-cased. */
  user?: string;
  oid?: string;
  tid?: string;
  appId?: string;
  /** "app" for client-credentials tokens. */
  idtyp?: string;
}

/** Claims of a JWT access token; undefined for opaque tokens (personal accounts) or garbage. */
export function readAccessTokenClaims(token: string): AccessTokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  const c = payload as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
  const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const user = str(c.upn) ?? str(c.unique_name) ?? str(c.preferred_username);
  const claims: AccessTokenClaims = {
    scopes: typeof c.scp === "string" ? c.scp.split(/\s+/).filter(Boolean) : [],
    roles: Array.isArray(c.roles) ? c.roles.filter((r): r is string => typeof r === "string") : [],
  };
  const aud = str(c.aud) ?? (Array.isArray(c.aud) ? str(c.aud[0]) : undefined);
  if (aud) claims.aud = aud;
  const exp = num(c.exp);
  if (exp !== undefined) claims.exp = exp;
  const nbf = num(c.nbf);
  if (nbf !== undefined) claims.nbf = nbf;
  if (user) claims.user = user.toLowerCase();
  const oid = str(c.oid);
  if (oid) claims.oid = oid;
  const tid = str(c.tid);
  if (tid) claims.tid = tid;
  const appId = str(c.appid) ?? str(c.azp);
  if (appId) claims.appId = appId;
  const idtyp = str(c.idtyp);
  if (idtyp) claims.idtyp = idtyp;
  return claims;
}

const EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Which Microsoft resource an `aud` names, as far as we can tell (reference §2.3). */
export function audienceResource(aud: string | undefined): "exchange" | "graph" | "other" | undefined {
  if (!aud) return undefined;
  const a = aud.toLowerCase().replace(/\/+$/, "");
  if (a === EXCHANGE_APP_ID) return "exchange";
  if (a === GRAPH_APP_ID) return "graph";
  let host: string;
  try {
    host = new URL(a).hostname;
  } catch {
    return "other";
  }
  // outlook.office.com, outlook.office365.com(.us), outlook-dod.office365.us, partner.outlook.cn, ps.outlook.com
  if (/(^|\.)outlook\.office(365)?\.(com|us)$|^outlook-dod\.office365\.us$|(^|\.)outlook\.cn$|^ps\.outlook\.com$/.test(host)) return "exchange";
  if (/^(graph|dod-graph)\.microsoft\.(com|us)$|^microsoftgraph\.chinacloudapi\.cn$/.test(host)) return "graph";
  return "other";
}
