import { getEnv } from "@/lib/env";
import { getKeyRing } from "@/lib/vault/vault";

// What an admin needs to know about this installation; nothing here is secret (key IDs are
// derived one-way from the keys and only say which key is in use).

export interface InstallationFacts {
  portalUrl: string;
  redirectUri: string;
  redirectUriWarning: string | null;
  databaseProvider: "sqlite" | "postgresql";
  databaseLocation: string;
  keySource: "env" | "file";
  keyFilePath: string;
  primaryKeyId: string;
  readableKeyIds: string[];
  trustProxy: boolean;
  secureCookies: boolean;
  entraSignIn: boolean;
}

export const OAUTH_CALLBACK_PATH = "/oauth/callback";

function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

export function getInstallationFacts(): InstallationFacts {
  const env = getEnv();
  const ring = getKeyRing();
  const url = new URL(env.portalUrl);
  const redirectUri = `${env.portalUrl}${OAUTH_CALLBACK_PATH}`;
  const redirectUriWarning =
    url.protocol === "http:" && !isLocalHost(url.hostname)
      ? "Microsoft accepts http:// redirect URIs only for localhost. Set PORTAL_URL to the https:// address people use."
      : null;
  const databaseLocation =
    env.databaseProvider === "sqlite" ? env.databaseUrl.slice("file:".length) : (() => {
      const u = new URL(env.databaseUrl);
      return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
    })();
  return {
    portalUrl: env.portalUrl,
    redirectUri,
    redirectUriWarning,
    databaseProvider: env.databaseProvider,
    databaseLocation,
    keySource: ring.source,
    keyFilePath: ring.keyFilePath,
    primaryKeyId: ring.primary.id,
    readableKeyIds: [...ring.byId.keys()],
    trustProxy: env.TRUST_PROXY,
    secureCookies: env.secureCookies,
    entraSignIn: env.entraSignIn !== null,
  };
}
