// Who is asking, as our own server saw it. lib/server/main.ts sets x-portal-client-ip from the socket
// (or from X-Forwarded-For only when TRUST_PROXY=true) and removes any value a client sent.

export const CLIENT_IP_HEADER = "x-portal-client-ip";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export function requestMetaFromHeaders(headers: { get(name: string): string | null }): RequestMeta {
  return {
    ip: headers.get(CLIENT_IP_HEADER),
    userAgent: headers.get("user-agent")?.slice(0, 300) ?? null,
  };
}
