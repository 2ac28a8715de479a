import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { RequestMeta } from "@/lib/audit/request-meta";
import { decryptSecret, encryptSecret } from "@/lib/vault/vault";
import { randomToken, sha256 } from "@/lib/consent/consent-secrets";

// One-time consent links for mailbox owners without a portal account: valid 7 days, usable once,
// revocable. The token is stored hashed (to find the link) and encrypted (so support staff can copy
// a still-valid link again without an admin creating a new one).

export const CONSENT_LINK_DAYS = 7;

const tokenContext = (id: string) => `consent-link:${id}:token`;
const urlOf = (token: string) => `${getEnv().portalUrl}/consent/${token}`;

export interface ConsentLinkView {
  id: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  status: "valid" | "used" | "expired" | "revoked";
}

function statusOf(l: { expiresAt: Date; usedAt: Date | null; revokedAt: Date | null }, now = new Date()): ConsentLinkView["status"] {
  if (l.revokedAt) return "revoked";
  if (l.usedAt) return "used";
  if (l.expiresAt <= now) return "expired";
  return "valid";
}

export async function createConsentLink(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<{ url: string; expiresAt: Date }> {
  const mailbox = await getDb().mailbox.findUnique({ where: { id: mailboxId }, select: { address: true, authMode: true } });
  if (!mailbox) throw new AppError("not_found", "That mailbox does not exist.");
  if (mailbox.authMode !== "delegated") {
    throw new AppError("validation", "App-only mailboxes need no user consent: use “Grant admin consent” on the app registration instead.");
  }
  const token = randomToken();
  const id = sha256(`id:${token}`).slice(0, 24);
  const expiresAt = new Date(Date.now() + CONSENT_LINK_DAYS * 86_400_000);
  // A new link replaces any link still valid for this mailbox: one live link per mailbox.
  await getDb().$transaction([
    getDb().consentLink.updateMany({ where: { mailboxId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } }),
    getDb().consentLink.create({
      data: { id, mailboxId, tokenHash: sha256(token), tokenEncrypted: encryptSecret(token, tokenContext(id)), createdBy: actor.label, expiresAt },
    }),
  ]);
  await recordAuditEvent({ actor, action: "consent_link.created", target: { type: "mailbox", id: mailboxId, label: mailbox.address }, meta, details: { expiresAt: expiresAt.toISOString() } });
  return { url: urlOf(token), expiresAt };
}

/** The still-valid link of a mailbox, for copying again (admins and support); null when there is none. */
export async function getValidConsentLinkUrl(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<{ url: string; expiresAt: Date } | null> {
  const link = await getDb().consentLink.findFirst({
    where: { mailboxId, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    include: { mailbox: { select: { address: true } } },
  });
  if (!link) return null;
  await recordAuditEvent({ actor, action: "consent_link.copied", target: { type: "mailbox", id: mailboxId, label: link.mailbox.address }, meta });
  return { url: urlOf(decryptSecret(link.tokenEncrypted, tokenContext(link.id))), expiresAt: link.expiresAt };
}

export async function revokeConsentLinks(mailboxId: string, actor: AuditActor, meta: RequestMeta): Promise<number> {
  const { count } = await getDb().consentLink.updateMany({ where: { mailboxId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) await recordAuditEvent({ actor, action: "consent_link.revoked", target: { type: "mailbox", id: mailboxId }, meta, details: { links: count } });
  return count;
}

export async function listConsentLinks(mailboxId: string): Promise<ConsentLinkView[]> {
  const rows = await getDb().consentLink.findMany({ where: { mailboxId }, orderBy: { createdAt: "desc" }, take: 10 });
  return rows.map((r) => ({ id: r.id, createdBy: r.createdBy, createdAt: r.createdAt, expiresAt: r.expiresAt, usedAt: r.usedAt, revokedAt: r.revokedAt, status: statusOf(r) }));
}

export interface ConsentLinkTarget {
  linkId: string;
  mailboxId: string;
  address: string;
  displayName: string;
  expectedAccount: string;
  expiresAt: Date;
}

/** Resolves a link token for the public consent page; a used, expired or revoked link says which. */
export async function resolveConsentLink(token: string): Promise<{ ok: true; target: ConsentLinkTarget } | { ok: false; reason: "unknown" | "used" | "expired" | "revoked" }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: "unknown" };
  const link = await getDb().consentLink.findUnique({
    where: { tokenHash: sha256(token) },
    include: { mailbox: { select: { id: true, address: true, displayName: true, signingIdentity: true } } },
  });
  if (!link) return { ok: false, reason: "unknown" };
  const status = statusOf(link);
  if (status !== "valid") return { ok: false, reason: status };
  return {
    ok: true,
    target: {
      linkId: link.id,
      mailboxId: link.mailbox.id,
      address: link.mailbox.address,
      displayName: link.mailbox.displayName,
      expectedAccount: link.mailbox.signingIdentity ?? link.mailbox.address,
      expiresAt: link.expiresAt,
    },
  };
}
