import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getAppRegistration } from "@/lib/app-registrations/app-registration-view";
import { getAccessTokenForMailbox, GrantUnavailableError } from "@/lib/grants/get-access-token";
import { protocolLabels, type ProtocolUse } from "@/lib/microsoft/protocols";
import { runProtocolCheck, type CheckInput, type CheckOutcome } from "@/lib/protocols/protocol-check";
import { usesOfMailbox } from "@/lib/mailboxes/mailbox-uses";
import { recordHealthCheck, type CheckTrigger } from "@/lib/health/record-health-check";

// One health check of every protocol a mailbox uses: a current token from the grant, then a real
// login and a harmless operation (lib/protocols). The token never leaves this function.

export interface UseCheck {
  use: ProtocolUse;
  label: string;
  outcome: CheckOutcome | null;
  /** Set when no token could be had (grant missing, needs consent, Microsoft down). */
  tokenProblem: { code: string; title: string; explanation: string; fix: string } | null;
}

export type { CheckTrigger } from "@/lib/health/record-health-check";

export async function checkMailboxNow(mailboxId: string, options: { trigger: CheckTrigger; testMessageTo?: string; timeoutMs?: number }): Promise<UseCheck[]> {
  const mailbox = await getDb().mailbox.findUnique({ where: { id: mailboxId } });
  if (!mailbox) throw new AppError("not_found", "That mailbox does not exist.");
  const app = (await getAppRegistration(mailbox.appRegistrationId))!;
  const results: UseCheck[] = [];
  for (const use of usesOfMailbox(mailbox)) {
    const label = `${protocolLabels[use.protocol]} ${use.direction}`;
    let token: string;
    try {
      token = (await getAccessTokenForMailbox(mailboxId, use)).accessToken;
    } catch (e) {
      if (!(e instanceof GrantUnavailableError)) throw e;
      const x = e.explanation;
      results.push({ use, label, outcome: null, tokenProblem: { code: e.code, title: x.title, explanation: x.explanation, fix: x.fix } });
      await recordHealthCheck(mailboxId, use, options.trigger, null, { code: e.code, title: x.title, explanation: x.explanation, fix: x.fix, actor: x.actor });
      continue;
    }
    const inbound = use.direction === "inbound";
    const host = inbound ? mailbox.inboundHost : mailbox.outboundHost;
    const port = inbound ? mailbox.inboundPort : mailbox.outboundPort;
    const security = inbound ? mailbox.inboundSecurity : mailbox.outboundSecurity;
    const input: CheckInput = {
      protocol: use.protocol,
      direction: use.direction,
      mailbox: mailbox.address,
      accessToken: token,
      authMode: mailbox.authMode === "app_only" ? "app_only" : "delegated",
      ...(host && port ? { server: { host, port, security: security === "starttls" ? "starttls" : "tls" } } : {}),
      graphBaseUrl: `https://${app.endpoints.graphHost}`,
      ...(app.endpoints.ewsUrl ? { ewsUrl: app.endpoints.ewsUrl } : {}),
      ...(app.customCloud?.trustedCaPem ? { trustedCaPem: app.customCloud.trustedCaPem } : {}),
      ...(!inbound && options.testMessageTo ? { testMessageTo: options.testMessageTo } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    };
    const outcome = await runProtocolCheck(input);
    results.push({ use, label, outcome, tokenProblem: null });
    await recordHealthCheck(mailboxId, use, options.trigger, outcome, null);
  }
  return results;
}
