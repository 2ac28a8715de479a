import { ConfidentialClientApplication, LogLevel, type Configuration } from "@azure/msal-node";
import { explainMicrosoftError } from "@/lib/microsoft/aadsts-catalog";
import { authorityUrl, tenantKind } from "@/lib/microsoft/authority";
import { parseCertificatePem, parsePrivateKeyPem } from "@/lib/microsoft/certificate";
import type { CloudEndpoints } from "@/lib/microsoft/clouds";
import { decodeJwtClaims } from "@/lib/microsoft/decode-jwt-claims";
import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { createHttpsNetworkClient } from "@/lib/microsoft/https-network-client";
import { explainMsalError } from "@/lib/microsoft/msal-error";

// App-only tokens (client credentials, reference §2.2, §4, §5) with a secret or a certificate, through MSAL.
// The caller hands in the credential; it goes to MSAL only and never into a result, log line or error.

export type AppCredential =
  | { kind: "secret"; secret: string }
  | {
      kind: "certificate";
      certificatePem: string;
      privateKeyPem: string;
      /** Send the certificate in the assertion's x5c header (subject name + issuer authentication). */
      sendCertificateChain?: boolean;
    };

export interface AcquireAppTokenInput {
  endpoints: CloudEndpoints;
  /** The tenant ID or domain that issues the token (client credentials can't use common/organizations). */
  tenant: string;
  clientId: string;
  credential: AppCredential;
  /** The resource: endpoints.exchangeResource for IMAP/POP/SMTP/EWS, endpoints.graphResource for Graph. */
  resource: string;
  /** Extra CA to trust (custom cloud). */
  trustedCaPem?: string | null;
  timeoutMs?: number;
}

/** The non-secret claims of an app-only token, for showing and for comparing roles. */
export interface AppTokenClaims {
  aud: string | null;
  roles: string[];
  tid: string | null;
  appid: string | null;
  /** The service principal's object ID in the tenant (reference §4: New-ServicePrincipal -ObjectId). */
  oid: string | null;
  exp: number | null;
}

export type AcquireAppTokenResult =
  | { ok: true; accessToken: string; expiresOn: Date | null; claims: AppTokenClaims }
  | { ok: false; explanation: ErrorExplanation };

function claimsOf(token: string): AppTokenClaims {
  const c = decodeJwtClaims(token) ?? {};
  const s = (k: string): string | null => (typeof c[k] === "string" ? (c[k] as string) : null);
  return {
    aud: s("aud"),
    roles: Array.isArray(c["roles"]) ? c["roles"].filter((r): r is string => typeof r === "string") : [],
    tid: s("tid"),
    appid: s("appid") ?? s("azp"),
    oid: s("oid"),
    exp: typeof c["exp"] === "number" ? c["exp"] : null,
  };
}

function credentialConfig(credential: AppCredential): Pick<Configuration["auth"], "clientSecret" | "clientCertificate"> | ErrorExplanation {
  if (credential.kind === "secret") return { clientSecret: credential.secret };
  const parsed = parseCertificatePem(credential.certificatePem);
  if (!parsed.ok) return { ...explainMicrosoftError({ error: "invalid_client" }), microsoftMessage: parsed.message };
  const key = parsePrivateKeyPem(credential.privateKeyPem);
  if (!key.ok) return { ...explainMicrosoftError({ error: "invalid_client" }), microsoftMessage: key.message };
  return {
    clientCertificate: {
      thumbprintSha256: parsed.certificate.thumbprintSha256Hex,
      privateKey: credential.privateKeyPem,
      ...(credential.sendCertificateChain ? { x5c: credential.certificatePem } : {}),
    },
  };
}

export async function acquireAppToken(input: AcquireAppTokenInput): Promise<AcquireAppTokenResult> {
  if (tenantKind(input.tenant) === "invalid") {
    return { ok: false, explanation: { ...explainMicrosoftError({ error_codes: [90002] }), microsoftMessage: "The tenant is not a tenant ID, a domain, or organizations/common/consumers." } };
  }
  const kind = tenantKind(input.tenant);
  if (kind === "common" || kind === "organizations" || kind === "consumers") {
    return { ok: false, explanation: explainMicrosoftError({ error: "missing_tenant_id_error" }) };
  }
  const credential = credentialConfig(input.credential);
  if ("code" in credential) return { ok: false, explanation: credential };

  const network = createHttpsNetworkClient({ trustedCaPem: input.trustedCaPem ?? null, timeoutMs: input.timeoutMs });
  try {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: input.clientId,
        authority: authorityUrl(input.endpoints, input.tenant),
        // Trust the cloud's login host as it is, so a custom cloud needs no instance discovery.
        knownAuthorities: [input.endpoints.loginHost],
        ...credential,
      },
      system: {
        networkClient: network,
        loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => {} },
      },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [`${input.resource.replace(/\/+$/, "")}/.default`], skipCache: true });
    if (!result?.accessToken) return { ok: false, explanation: explainMicrosoftError({ error_description: "Microsoft answered without an access token." }) };
    return { ok: true, accessToken: result.accessToken, expiresOn: result.expiresOn ?? null, claims: claimsOf(result.accessToken) };
  } catch (error) {
    return { ok: false, explanation: explainMsalError(error, network.lastFailure()) };
  }
}
