import type { ErrorExplanation } from "@/lib/microsoft/error-explanation";

const actorText: Record<string, string> = {
  admin: "An admin of the tenant or of this portal",
  mailbox_owner: "The mailbox owner",
  retry: "Nobody: it is temporary, try again later",
  portal_operator: "Whoever runs this portal",
};

/** An error from Microsoft or a mail server, explained: what happened, the fix, who acts, and Microsoft's IDs. */
export function ExplanationBox({ explanation }: { explanation: ErrorExplanation }) {
  return (
    <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-950" data-testid="explanation">
      <p className="font-semibold">
        {explanation.title} <span className="font-mono text-xs font-normal text-red-800">({explanation.code})</span>
      </p>
      <p>{explanation.explanation}</p>
      <p>
        <span className="font-medium">Fix: </span>
        {explanation.fix}
      </p>
      <p className="text-xs text-red-900">Who acts: {actorText[explanation.actor] ?? explanation.actor}</p>
      {explanation.microsoftMessage && <p className="font-mono text-xs break-words text-red-900">Microsoft said: {explanation.microsoftMessage}</p>}
      {(explanation.traceId || explanation.correlationId) && (
        <p className="font-mono text-xs text-red-900">
          {explanation.traceId && <>Trace ID {explanation.traceId} </>}
          {explanation.correlationId && <>· Correlation ID {explanation.correlationId} </>}
          {explanation.timestamp && <>· {explanation.timestamp}</>}
        </p>
      )}
    </div>
  );
}
