import { getEnv } from "@/lib/env";
import { checkRedirectUri, type ConfigIssue } from "@/lib/microsoft/config-checks";
import { getKeyRing } from "@/lib/vault/vault";

// What an admin needs to know about this installation; nothing here is secret (key IDs are
// derived one-way from the keys and only say which key is in use).

export interface InstallationFacts {
  portalUrl: string;
  redirectUri: string;
  /** Problems with the redirect URI itself (http on a public host, a fragment); per-request checks add the origin. */
  redirectUriIssues: ConfigIssue[];
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

export function getInstallationFacts(): InstallationFacts {
  const env = getEnv();
  const ring = getKeyRing();
  const redirectUri = `${env.portalUrl}${OAUTH_CALLBACK_PATH}`;
  const databaseLocation =
    env.databaseProvider === "sqlite" ? env.databaseUrl.slice("file:".length) : (() => {
      const u = new URL(env.databaseUrl);
      return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
    })();
  return {
    portalUrl: env.portalUrl,
    redirectUri,
    redirectUriIssues: checkRedirectUri(redirectUri),
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
