import { describe, expect, it } from "vitest";
import type { ProtocolUse } from "@/lib/microsoft/protocols";
import { mailboxHealthState } from "@/lib/health/mailbox-health-state";

const imap: ProtocolUse = { protocol: "imap", direction: "inbound" };
const smtp: ProtocolUse = { protocol: "smtp", direction: "outbound" };
const check = (use: ProtocolUse, ok: boolean) => ({ ...use, ok });

describe("mailboxHealthState", () => {
  it("follows the grant before the checks", () => {
    expect(mailboxHealthState(null, [imap], [check(imap, true)])).toBe("not_connected");
    expect(mailboxHealthState("needs_consent", [imap], [check(imap, true)])).toBe("needs_consent");
    expect(mailboxHealthState("credential_invalid", [imap], [check(imap, true)])).toBe("failing");
    expect(mailboxHealthState("blocked_by_policy", [imap], [])).toBe("failing");
  });

  it("healthy, degraded and failing from the latest check of each protocol", () => {
    expect(mailboxHealthState("active", [imap, smtp], [check(imap, true), check(smtp, true)])).toBe("healthy");
    expect(mailboxHealthState("active", [imap, smtp], [check(imap, true), check(smtp, false)])).toBe("degraded");
    expect(mailboxHealthState("active", [imap, smtp], [check(imap, false), check(smtp, false)])).toBe("failing");
    expect(mailboxHealthState("active", [imap], [check(imap, false)])).toBe("failing");
  });

  it("a protocol not checked yet leaves a connected mailbox unchecked unless another one fails", () => {
    expect(mailboxHealthState("active", [imap, smtp], [check(imap, true)])).toBe("unchecked");
    expect(mailboxHealthState("active", [imap, smtp], [check(imap, false)])).toBe("degraded");
    expect(mailboxHealthState("active", [imap], [])).toBe("unchecked");
  });

  it("ignores checks of protocols the mailbox no longer uses", () => {
    const pop3: ProtocolUse = { protocol: "pop3", direction: "inbound" };
    expect(mailboxHealthState("active", [pop3], [check(imap, false), check(pop3, true)])).toBe("healthy");
  });
});
