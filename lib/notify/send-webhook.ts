import { delivered, describeNetworkError, failed, type AttemptResult } from "@/lib/notify/attempt-result";
import { SIGNATURE_HEADER, signatureHeader } from "@/lib/notify/webhook-signature";

// One webhook attempt: POST the JSON body, signed for this attempt's second, to the channel's URL. A 2xx
// answer is delivered; any other status, a redirect (not followed: the body must not be re-sent to a place
// the admin did not choose) or a network failure is a failed attempt the dispatcher may retry.

export const USER_AGENT = "MailboxOAuthPortal-Webhook/1";

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  event: string;
  /** The payload's id: the same for every attempt, so receivers can drop duplicates. */
  eventId: string;
  attempt: number;
  timeoutMs: number;
  now?: Date;
}

export async function sendWebhook(request: WebhookRequest): Promise<AttemptResult> {
  const timestamp = Math.floor((request.now ?? new Date()).getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        [SIGNATURE_HEADER]: signatureHeader(request.secret, request.body, timestamp),
        "X-Portal-Event": request.event,
        "X-Portal-Event-Id": request.eventId,
        "X-Portal-Delivery-Attempt": String(request.attempt),
      },
      body: request.body,
    });
  } catch (error) {
    return failed(describeNetworkError(error));
  }
  // The answer's body is not kept: it is the receiver's, and may echo anything.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return delivered(response.status);
  if (response.status >= 300 && response.status < 400) return failed(`the receiver redirected (HTTP ${response.status}); redirects are not followed, enter the final URL`, response.status);
  return failed(`the receiver answered HTTP ${response.status}`, response.status);
}
