// Typed client for the control API, for tests and the demo.
import type { z } from "zod";
import type { armFaultSchema, ArmedFault } from "../faults";
import type { MailboxPolicy, DeliveredMessage } from "../mail-contract";
import type { SentRecord } from "../mail-store";
import type { RequestFilter, RequestRecord } from "../request-log";
import type { Settings } from "../settings";
import type { CaFetch } from "../test-support/ca-fetch";

export type ArmFaultInput = z.input<typeof armFaultSchema>;

export type MintTokenRequest =
  | { kind: "delegated"; user: string; clientId: string; scopes: string[]; expiresInSeconds?: number }
  | { kind: "app"; tenant: string; clientId: string; scope: string; roles?: string[]; expiresInSeconds?: number };

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class StandInControl {
  constructor(
    /** https://host:port/_stand-in */
    readonly url: string,
    private readonly fetchWithCa: CaFetch,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchWithCa(`${this.url}${path}`, {
      method,
      ...(body !== undefined ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const message = typeof parsed === "object" && parsed !== null && "error" in parsed ? String((parsed as { error: unknown }).error) : text;
      throw new ControlApiError(res.status, `${method} ${path}: ${res.status} ${message}`);
    }
    return parsed as T;
  }

  reset(): Promise<{ ok: true }> {
    return this.call("POST", "/reset");
  }

  armFault(fault: ArmFaultInput): Promise<ArmedFault> {
    return this.call("POST", "/faults", fault);
  }

  faults(): Promise<ArmedFault[]> {
    return this.call("GET", "/faults");
  }

  clearFaults(): Promise<{ ok: true }> {
    return this.call("DELETE", "/faults");
  }

  requests(filter: RequestFilter = {}): Promise<{ count: number; requests: RequestRecord[] }> {
    const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string"));
    return this.call("GET", `/requests${q.size ? `?${q}` : ""}`);
  }

  async countRequests(filter: RequestFilter = {}): Promise<number> {
    return (await this.requests(filter)).count;
  }

  clearRequests(): Promise<{ ok: true }> {
    return this.call("DELETE", "/requests");
  }

  settings(): Promise<Settings> {
    return this.call("GET", "/settings");
  }

  updateSettings(change: Partial<Settings>): Promise<Settings> {
    return this.call("PATCH", "/settings", change);
  }

  /** Revokes the user's refresh tokens (all clients, or one): refreshes then fail with AADSTS50173. */
  revokeUser(user: string, opts: { clientId?: string; removeConsent?: boolean; endSessions?: boolean } = {}): Promise<{ revoked: number }> {
    return this.call("POST", `/users/${encodeURIComponent(user)}/revoke`, opts);
  }

  addRedirectUri(clientId: string, uri: string): Promise<{ redirectUris: string[] }> {
    return this.call("POST", `/apps/${encodeURIComponent(clientId)}/redirect-uris`, { uri });
  }

  mailbox(address: string): Promise<MailboxPolicy> {
    return this.call("GET", `/mailboxes/${encodeURIComponent(address)}`);
  }

  updateMailbox(address: string, change: { switches?: Partial<MailboxPolicy["switches"]>; fullAccess?: string[]; sendAs?: string[] }): Promise<MailboxPolicy> {
    return this.call("PATCH", `/mailboxes/${encodeURIComponent(address)}`, change);
  }

  /** Application Access Policy (reference §4): only these mailboxes for the app, or null to remove. */
  setAccessPolicy(tenant: string, clientId: string, mailboxes: string[] | null): Promise<{ ok: true }> {
    return this.call("PUT", `/tenants/${encodeURIComponent(tenant)}/access-policies/${encodeURIComponent(clientId)}`, { mailboxes });
  }

  graphSent(mailbox?: string): Promise<SentRecord[]> {
    return this.call("GET", `/graph/sent${mailbox ? `?mailbox=${encodeURIComponent(mailbox)}` : ""}`);
  }

  delivered(address?: string): Promise<DeliveredMessage[]> {
    return this.call("GET", `/mail/delivered${address ? `?address=${encodeURIComponent(address)}` : ""}`);
  }

  /** Test-only: a correctly signed token with chosen audience/scopes/lifetime (negative expiresInSeconds = expired). */
  mintToken(req: MintTokenRequest): Promise<{ access_token: string; claims: Record<string, unknown> }> {
    return this.call("POST", "/tokens", req);
  }
}
