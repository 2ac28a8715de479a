import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

// What the result page shows after the redirect URI was called. Stored on the consent request as
// JSON and shown only to the browser that started it. No tokens, no secrets.

export interface HealthLine {
  label: string;
  ok: boolean;
  detail: string;
  explanation?: { title: string; explanation: string; fix: string } | null;
}

export type ConsentOutcome =
  | {
      kind: "delegated";
      ok: true;
      mailboxId: string;
      address: string;
      account: { userName: string; tenantId: string | null };
      scopes: string[];
      health: HealthLine[];
      viaLink: boolean;
    }
  | {
      kind: "delegated";
      ok: false;
      mailboxId: string;
      address: string;
      explanation: ErrorExplanation;
      viaLink: boolean;
    }
  | {
      kind: "admin_consent";
      ok: boolean;
      appRegistrationId: string;
      label: string;
      tenant: string | null;
      roles: string[];
      missingRoles: string[];
      connectedMailboxes: number;
      explanation: ErrorExplanation | null;
    };

/** A failure of our own making (not Microsoft's): same shape as the catalog's explanations. */
export function portalExplanation(code: string, title: string, explanation: string, fix: string, actor: ErrorExplanation["actor"]): ErrorExplanation {
  return { code, title, explanation, fix, actor, permanent: true, errorClass: "identity" };
}
