import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { explainMsalError } from "@/lib/microsoft/msal-error";

describe("explainMsalError", () => {
  it("reads MSAL's folded server message back into code, text and IDs", () => {
    const err = new ServerError(
      "invalid_client",
      "corr-1",
      "Error(s): 7000222 - Timestamp: 2026-11-20 10:11:12Z - Description: AADSTS7000222: The provided client secret keys for app 'x' are expired.\r\nTrace ID: t-9\r\nCorrelation ID: corr-1\r\nTimestamp: 2026-11-20 10:11:12Z - Correlation ID: corr-1 - Trace ID: t-9",
      undefined,
      "7000222",
      401,
    );
    expect(explainMsalError(err)).toMatchObject({
      code: "AADSTS7000222",
      grantState: "credential_invalid",
      traceId: "t-9",
      correlationId: "corr-1",
      timestamp: "2026-11-20 10:11:12Z",
      microsoftMessage: "AADSTS7000222: The provided client secret keys for app 'x' are expired.",
    });
  });

  it("interaction-required errors keep their code", () => {
    const err = new InteractionRequiredAuthError("invalid_grant", "c", "AADSTS50076: Due to a configuration change made by your administrator…", "basic_action", "2026-11-20", "t", "", "50076");
    expect(explainMsalError(err)).toMatchObject({ code: "AADSTS50076", actor: "mailbox_owner", grantState: "needs_consent" });
  });

  it("falls back on the network client's last failure when MSAL hides it", () => {
    const hidden = new AuthError("endpoints_resolution_error", "Endpoints cannot be resolved");
    expect(explainMsalError(hidden, { kind: "network", code: "ENOTFOUND" }).code).toBe("dns_failure");
    expect(
      explainMsalError(hidden, { kind: "http", status: 400, headers: {}, body: { error: "invalid_tenant", error_description: "AADSTS90002: Tenant 'nope.example' not found.", error_codes: [90002] } }),
    ).toMatchObject({ code: "AADSTS90002", grantState: "app_missing" });
    expect(explainMsalError(hidden, { kind: "http", status: 502, headers: {}, body: null })).toMatchObject({ code: "http_5xx", permanent: false });
    expect(explainMsalError(hidden)).toMatchObject({ code: "unknown", microsoftMessage: "MSAL reported endpoints_resolution_error." });
    expect(explainMsalError(new Error("boom"))).toMatchObject({ code: "unknown" });
  });
});

describe("MSAL's own refusals", () => {
  it("client credentials on common/organizations: the tenant is required", async () => {
    const { AuthError: E } = await import("@azure/msal-node");
    expect(explainMsalError(new E("missing_tenant_id_error", "x"))).toMatchObject({ code: "tenant_required", grantState: "app_missing" });
  });
});
