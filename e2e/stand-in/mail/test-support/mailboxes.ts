// Fixture mailboxes for the mail-server tests, and a live lookup whose switches tests may flip.
import type { MailboxPolicy } from "../contract";

export const ALICE = "alice@contoso.test";
export const BOB = "bob@contoso.test";
export const CAROL = "carol@contoso.test";
export const SHARED = "shared@contoso.test";
export const ALICE_OID = "a11ce000-0000-4000-8000-00000000a11c";
export const BOB_OID = "b0b00000-0000-4000-8000-000000000b0b";
export const CAROL_OID = "ca201000-0000-4000-8000-0000000ca201";
/** The Exchange service principal of an app with FullAccess on Alice's mailbox (reference §4). */
export const APP_SP_OID = "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";
/** An app whose service principal has no mailbox permission. */
export const OTHER_APP_SP_OID = "0ddba11a-0000-4000-8000-0000000ddba1";

const on = () => ({ imapDisabled: false, popDisabled: false, smtpAuthDisabled: false });

export function fixtureMailboxes(): MailboxPolicy[] {
  return [
    {
      address: ALICE,
      kind: "user",
      fullAccess: [APP_SP_OID],
      sendAs: [],
      switches: on(),
      messages: [
        { from: "news@fabrikam.test", subject: "Read already", body: "Seen.", seen: true },
        { from: "bob@contoso.test", subject: "Lunch?", body: "Noon?" },
        { from: "carol@contoso.test", subject: "Grüße", body: "Non-ASCII subject.\nSecond line." },
      ],
    },
    {
      address: BOB,
      kind: "user",
      fullAccess: [],
      sendAs: [],
      switches: on(),
      messages: [{ from: "alice@contoso.test", subject: "Hello Bob", body: "Hi." }],
    },
    {
      address: CAROL,
      kind: "user",
      fullAccess: [],
      sendAs: [],
      switches: on(),
      messages: [{ from: "alice@contoso.test", subject: "Hello Carol", body: "Hi.", seen: true }],
    },
    {
      address: SHARED,
      kind: "shared",
      fullAccess: [BOB],
      sendAs: [BOB],
      switches: on(),
      messages: [
        { from: "customer@fabrikam.test", subject: "Order 1", body: "Please ship." },
        { from: "customer@fabrikam.test", subject: "Order 2", body: "Shipped?", seen: true },
      ],
    },
  ];
}

export function mailboxLookup(mailboxes: readonly MailboxPolicy[]): (address: string) => MailboxPolicy | undefined {
  return (address) => mailboxes.find((m) => m.address.toLowerCase() === address.toLowerCase());
}
