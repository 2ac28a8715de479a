// AADSTS errors as Microsoft sends them (reference §6): token-endpoint JSON with error,
// error_description ("AADSTSnnnn: ..." + Trace ID / Correlation ID / Timestamp lines),
// error_codes, timestamp, trace_id, correlation_id, error_uri; authorize redirects with only
// error, error_description and state. Messages follow the texts Microsoft returns.
export type OAuthError =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "invalid_resource"
  | "invalid_tenant"
  | "interaction_required"
  | "login_required"
  | "consent_required"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable";

export interface AadError {
  error: OAuthError;
  code: number;
  message: string;
  suberror?: string;
  /** Defaults: 401 for invalid_client (RFC 6749 §5.2, as Microsoft does), 400 otherwise. */
  status?: number;
  headers?: Record<string, string>;
}

function e(error: OAuthError, code: number, message: string, extra: Partial<AadError> = {}): AadError {
  return { error, code, message, ...extra };
}

/** '2026-11-20T10:11:12.1234567Z', the date format inside AADSTS messages. */
function msDate(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

export const aad = {
  tenantNotFound: (name: string, error: OAuthError = "invalid_request") =>
    e(error, 90002, `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  missingParameter: (name: string) => e("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  onlyPost: (method: string) => e("invalid_request", 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
  unsupportedGrantType: (grantType: string) => e("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`),
  appNotFound: (clientId: string, directory: string) =>
    e("unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  notMultiTenant: (clientId: string, name: string) =>
    e("invalid_request", 50194, `Application '${clientId}'(${name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`),
  aadOnlyOnConsumers: (clientId: string, name: string) =>
    e("invalid_request", 9002332, `Application '${clientId}'(${name}) is configured for use by Azure Active Directory users only. Please do not use the /consumers endpoint to serve this request.`),
  grantNotOnCommon: () => e("invalid_request", 9001023, "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint."),
  noClientCredential: () => e("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (clientId: string) =>
    e("invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  expiredSecret: (clientId: string) =>
    e("invalid_client", 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    e("invalid_client", 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`),
  assertionSignature: () => e("invalid_client", 700027, "Client assertion failed signature validation."),
  assertionMalformed: () => e("invalid_client", 50027, "JWT token is invalid or malformed."),
  assertionTimeRange: (now: Date, nbf: Date, exp: Date) =>
    e("invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${msDate(now)}, assertion valid from ${msDate(nbf)}, expiry time of assertion ${msDate(exp)}. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`),
  assertionIssuer: () =>
    e("invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."),
  assertionAudience: (aud: string, expected: string) =>
    e("invalid_client", 50013, `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${expected}' or one of the Application Id URIs of this application.`),
  assertionType: () => e("invalid_request", 70002, "The value of 'client_assertion_type' must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'."),
  malformed: (error: OAuthError = "invalid_grant") => e(error, 9002313, "Invalid request. Request is malformed or invalid."),
  codeExpired: () => e("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."),
  codeRedeemed: () => e("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."),
  codeOtherTenant: () => e("invalid_grant", 700005, "Provided Authorization Code is intended to use against other tenant, thus rejected."),
  grantInvalid: () => e("invalid_grant", 70000, "Provided grant is invalid or malformed."),
  replyAddressMismatch: (given: string, expected: string) =>
    e("invalid_grant", 500112, `The reply address '${given}' does not match the reply address '${expected}' provided when requesting Authorization code.`),
  redirectUriMismatch: (uri: string, clientId: string) =>
    e("invalid_request", 50011, `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`),
  pkceVerifierMissing: () => e("invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."),
  pkceVerifierMismatch: () => e("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."),
  pkceChallengeSize: () => e("invalid_request", 501491, "Invalid size of Code_Challenge parameter."),
  pkceMethod: (method: string) => e("invalid_request", 50147, `The code_challenge_method '${method}' is not supported.`),
  emptyScopeForCode: () => e("invalid_scope", 28003, "Provided value for the input parameter scope cannot be empty when requesting an access token using the provided authorization code. Please specify a valid scope."),
  multipleResources: (scope: string) =>
    e("invalid_scope", 700022, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
  clientCredentialScope: (scope: string) =>
    e("invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  invalidScope: (scope: string) => e("invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  resourceNotFound: (uri: string, tenant: string) =>
    e("invalid_resource", 500011, `The resource principal named ${uri} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  consentRequired: (clientId: string, name: string, error: OAuthError = "invalid_grant") =>
    e(error, 65001, `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`, { suberror: "consent_required" }),
  userDeclinedConsent: () => e("access_denied", 65004, "User declined to consent to access the app."),
  adminDeclinedConsent: () => e("consent_required", 65004, "The resource owner or authorization server denied the request."),
  refreshTokenRevoked: (issued: Date, validFrom: Date) =>
    e("invalid_grant", 50173, `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${msDate(issued)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${msDate(validFrom)}'.`),
  refreshTokenInactive: (issued: Date) =>
    e("invalid_grant", 700082, `The refresh token has expired due to inactivity. The token was issued on ${msDate(issued)} and was inactive for 90.00:00:00.`, { suberror: "bad_token" }),
  mfaRequired: (resourceAppId: string, error: OAuthError = "invalid_grant") =>
    e(error, 50076, `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resourceAppId}'.`, { suberror: "basic_action" }),
  conditionalAccessBlocked: (error: OAuthError = "interaction_required") =>
    e(error, 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", { suberror: "message_only" }),
  loginRequired: () => e("login_required", 50058, "A silent sign-in request was sent but no user is signed in."),
  unsupportedResponseType: (responseType: string) => e("unsupported_response_type", 70005, `The application requested an unsupported response_type '${responseType}'.`),
  unsupportedResponseMode: (mode: string) => e("invalid_request", 70007, `The application requested an unsupported response_mode '${mode}' when requesting a token.`),
  userNotAdmin: () => e("access_denied", 90094, "Administrator consent is required. The signed-in user is not an administrator of the tenant."),
  serverError: () => e("server_error", 50000, "There was an error issuing a token or an issue with our sign-in service.", { status: 500 }),
  throttled: (retryAfterSeconds: number) =>
    e("temporarily_unavailable", 50196, "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.", {
      status: 429,
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
};

/** "YYYY-MM-DD HH:MM:SSZ" (reference §6). */
export function aadTimestamp(now: Date = new Date()): string {
  return now.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

export interface ErrorIds {
  traceId: string;
  correlationId: string;
  now?: Date;
}

export function errorDescription(err: AadError, ids: ErrorIds): string {
  const ts = aadTimestamp(ids.now);
  return `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${ts}`;
}

export interface TokenErrorBody {
  error: OAuthError;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

export function tokenErrorBody(err: AadError, ids: ErrorIds, loginBaseUrl: string): TokenErrorBody {
  const body: TokenErrorBody = {
    error: err.error,
    error_description: errorDescription(err, ids),
    error_codes: [err.code],
    timestamp: aadTimestamp(ids.now),
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `${loginBaseUrl}/error?code=${err.code}`,
  };
  if (err.suberror) body.suberror = err.suberror;
  return body;
}

export function errorStatus(err: AadError): number {
  return err.status ?? (err.error === "invalid_client" ? 401 : 400);
}

/** Reference §6: the redirect from /authorize carries only error, error_description and state. */
export function redirectErrorParams(err: AadError, ids: ErrorIds, state: string | undefined): Record<string, string> {
  const params: Record<string, string> = { error: err.error, error_description: errorDescription(err, ids) };
  if (state !== undefined) params.state = state;
  return params;
}
