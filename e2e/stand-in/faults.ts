// Faults armed by the control API: the next request(s) matching endpoint/grant/client/user/tenant
// fail the way Microsoft fails (issue #3, item 2). Each endpoint renders a kind in its own format.
import { z } from "zod";
import { newGuid } from "./crypto/ids";

export const FAULT_KINDS = [
  "consent_required", // AADSTS65001
  "redirect_uri_mismatch", // AADSTS50011
  "invalid_client_secret", // AADSTS7000215
  "expired_client_secret", // AADSTS7000222
  "app_not_in_tenant", // AADSTS700016
  "single_tenant_on_common", // AADSTS50194
  "refresh_token_revoked", // AADSTS50173
  "refresh_token_inactive", // AADSTS700082
  "mfa_required", // AADSTS50076
  "conditional_access_blocked", // AADSTS53003
  "server_error", // HTTP 500
  "throttled", // HTTP 429 + Retry-After (EWS: ErrorServerBusy)
  "hang", // no answer until the client gives up
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_ENDPOINTS = ["token", "authorize", "adminconsent", "discovery", "graph", "ews"] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

const GENERIC: FaultKind[] = ["server_error", "throttled", "hang"];

/** Which kinds make sense where; arming anything else is refused (400) rather than silently ignored. */
export const KINDS_BY_ENDPOINT: Record<FaultEndpoint, FaultKind[]> = {
  token: [...FAULT_KINDS],
  authorize: ["consent_required", "redirect_uri_mismatch", "app_not_in_tenant", "single_tenant_on_common", "mfa_required", "conditional_access_blocked", ...GENERIC],
  adminconsent: ["redirect_uri_mismatch", "app_not_in_tenant", ...GENERIC],
  discovery: GENERIC,
  graph: GENERIC,
  ews: GENERIC,
};

export const armFaultSchema = z
  .object({
    endpoint: z.enum(FAULT_ENDPOINTS),
    kind: z.enum(FAULT_KINDS),
    /** token endpoint only: authorization_code, refresh_token, client_credentials. */
    grantType: z.string().optional(),
    clientId: z.string().optional(),
    /** UPN or object ID. */
    user: z.string().optional(),
    /** Tenant GUID or one of its domains. */
    tenant: z.string().optional(),
    /** How many matching requests fail (default 1). */
    times: z.number().int().min(1).max(1000).default(1),
    /** throttled only. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(5),
  })
  .refine((f) => KINDS_BY_ENDPOINT[f.endpoint].includes(f.kind), { message: "this fault kind does not apply to this endpoint" });

export type ArmFaultRequest = z.infer<typeof armFaultSchema>;

export interface ArmedFault extends ArmFaultRequest {
  id: string;
  remaining: number;
}

export interface FaultProbe {
  endpoint: FaultEndpoint;
  grantType?: string;
  clientId?: string;
  /** UPN and object ID of the user the request is about, when known. */
  user?: { upn: string; id: string };
  /** GUID and domains of the tenant the request is about, when known. */
  tenant?: { id: string; domains: string[] };
}

export class FaultBoard {
  private faults: ArmedFault[] = [];

  arm(request: ArmFaultRequest): ArmedFault {
    const fault: ArmedFault = { ...request, id: newGuid(), remaining: request.times };
    this.faults.push(fault);
    return fault;
  }

  list(): ArmedFault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }

  /** The first armed fault matching the probe, consumed by one use. */
  take(probe: FaultProbe): ArmedFault | undefined {
    const fault = this.faults.find((f) => matches(f, probe));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}

function matches(f: ArmedFault, p: FaultProbe): boolean {
  if (f.endpoint !== p.endpoint) return false;
  if (f.grantType && f.grantType !== p.grantType) return false;
  if (f.clientId && f.clientId.toLowerCase() !== p.clientId?.toLowerCase()) return false;
  if (f.user) {
    const want = f.user.toLowerCase();
    if (!p.user || (p.user.upn.toLowerCase() !== want && p.user.id.toLowerCase() !== want)) return false;
  }
  if (f.tenant) {
    const want = f.tenant.toLowerCase();
    if (!p.tenant || (p.tenant.id !== want && !p.tenant.domains.includes(want))) return false;
  }
  return true;
}
