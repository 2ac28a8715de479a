import { CopyBlock } from "@/components/ui/copy-button";
import { EXAMPLE_HEADERS, EXAMPLE_PAYLOAD, NODE_VERIFY_SNIPPET, PYTHON_VERIFY_SNIPPET } from "@/lib/notify/webhook-docs";

/** How receivers verify webhooks: the same text and snippets as the README's "Notifications" section. */
export function WebhookFormat() {
  return (
    <div className="space-y-4 text-sm text-slate-700" data-testid="webhook-format">
      <p>
        Each notification is a <code>POST</code> with a JSON body. <code>X-Portal-Signature</code> is <code>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where the hex is
        HMAC-SHA256 keyed with the channel&apos;s secret over the timestamp, a dot and the raw body (<code>t + &quot;.&quot; + body</code>). Verify it on the raw body before parsing,
        compare in constant time, and <strong>refuse timestamps more than 5 minutes from your clock</strong>: the timestamp is signed, so a captured request replayed later is refused.
      </p>
      <p>
        Answer any 2xx. Anything else, a redirect or no answer within 10 s is retried after about 30 s, 2 min, 8 min, 32 min and 2 h (six attempts), each signed afresh, with the
        same <code>id</code>: drop duplicates by <code>id</code>.
      </p>
      <CopyBlock value={EXAMPLE_HEADERS} language="http" testId="webhook-headers" />
      <CopyBlock value={EXAMPLE_PAYLOAD} language="json" testId="webhook-payload" />
      <p className="font-medium text-slate-900">Node.js</p>
      <CopyBlock value={NODE_VERIFY_SNIPPET} language="javascript" testId="webhook-node" />
      <p className="font-medium text-slate-900">Python</p>
      <CopyBlock value={PYTHON_VERIFY_SNIPPET} language="python" testId="webhook-python" />
    </div>
  );
}
