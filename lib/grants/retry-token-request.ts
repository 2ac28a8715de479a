import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";
import { classifyFailure, retryDelayMs, type TokenPolicy } from "@/lib/grants/token-policy";

// Transient failures (network, timeout, 5xx, 429) are retried inside the call with exponential backoff and
// jitter, honouring Retry-After (issue #5 item 6); bounded by attempts and a time budget so a caller waits
// seconds. Permanent failures return at once: asking again would only repeat the refusal.

export type TokenAttempt = { ok: true } | { ok: false; explanation: ErrorExplanation };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetries<R extends TokenAttempt>(send: (timeoutMs: number) => Promise<R>, policy: TokenPolicy): Promise<{ result: R; attempts: number }> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const result = await send(policy.attemptTimeoutMs);
    if (result.ok || attempt >= policy.maxAttempts) return { result, attempts: attempt };
    const { explanation } = result as Extract<TokenAttempt, { ok: false }>;
    if (classifyFailure(explanation).kind === "permanent") return { result, attempts: attempt };
    const delay = retryDelayMs(attempt, explanation.retryAfterSeconds, policy);
    if (delay === null || Date.now() + delay - started > policy.retryBudgetMs) return { result, attempts: attempt };
    await sleep(delay);
  }
}
