import { Badge } from "@/components/ui/card";
import { formatTime } from "@/components/ui/dates";
import { actorLabel } from "@/components/health/actor-label";
import { formatUptime } from "@/components/health/format-uptime";
import { HealthChart } from "@/components/health/health-chart";
import type { MailboxHealthHistory } from "@/lib/health/get-mailbox-health-history";

const protocolNames: Record<string, string> = { imap: "IMAP", pop3: "POP3", smtp: "SMTP", graph: "Graph", ews: "EWS" };
const triggerLabels: Record<string, string> = { manual: "Test now", sweep: "sweep", connect: "after consent" };

/** A mailbox's uptime (24 h, 7 d), its chart, and its latest checks with the explanation of each failure. */
export function HealthHistory({ history }: { history: MailboxHealthHistory }) {
  const { uptime } = history;
  return (
    <div className="space-y-5" data-testid="health-history">
      <dl className="grid grid-cols-2 gap-4 sm:max-w-md">
        <div>
          <dt className="text-xs font-medium text-slate-500 uppercase">Uptime 24 h</dt>
          <dd className="text-xl font-semibold text-slate-900" data-testid="uptime-24h">
            {formatUptime(uptime.last24h)}
          </dd>
          <dd className="text-xs text-slate-500">
            {uptime.last24h.passed} of {uptime.last24h.checks} checks passed
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500 uppercase">Uptime 7 days</dt>
          <dd className="text-xl font-semibold text-slate-900" data-testid="uptime-7d">
            {formatUptime(uptime.last7d)}
          </dd>
          <dd className="text-xs text-slate-500">
            {uptime.last7d.passed} of {uptime.last7d.checks} checks passed
          </dd>
        </div>
      </dl>
      <HealthChart points={history.points} from={history.from} to={history.to} />
      {history.recent.length > 0 && (
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm" data-testid="health-history-table">
            <caption className="pb-2 text-left text-xs text-slate-500">Latest {history.recent.length} checks, newest first</caption>
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-4">When</th>
                <th className="py-1 pr-4">Protocol</th>
                <th className="py-1 pr-4">Outcome</th>
                <th className="py-1 pr-4">Time</th>
                <th className="py-1">Why, and who fixes it</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.recent.map((c) => (
                <tr key={c.id} className="align-top" data-ok={c.ok}>
                  <td className="py-2 pr-4 text-xs whitespace-nowrap">
                    {formatTime(c.at)}
                    <div className="text-slate-500">{triggerLabels[c.trigger] ?? c.trigger}</div>
                  </td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    {protocolNames[c.protocol] ?? c.protocol} {c.direction}
                  </td>
                  <td className="py-2 pr-4">{c.ok ? <Badge tone="green">passed</Badge> : <Badge tone="red">failed</Badge>}</td>
                  <td className="py-2 pr-4 font-mono text-xs whitespace-nowrap">{c.durationMs} ms</td>
                  <td className="py-2 text-xs">
                    {c.ok ? (
                      "—"
                    ) : c.explanation ? (
                      <div className="space-y-0.5">
                        <p className="font-medium text-red-900">{c.explanation.title}</p>
                        <p className="text-slate-700">Fix: {c.explanation.fix}</p>
                        <p className="text-slate-500">Who: {actorLabel(c.explanation.actor)}</p>
                      </div>
                    ) : (
                      <span className="font-mono">{c.errorClass ?? "failed"}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
