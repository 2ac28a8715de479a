import { getDb } from "@/lib/db/client";
import { readPayload } from "@/lib/notify/notification-payload";

// The delivery log for the Notifications page: the latest attempts, newest first, with what each was about
// (event, subject) and how the receiver answered. Rows carry no secrets; the payload is summarised.

export interface DeliveryLogRow {
  id: string;
  channelId: string;
  channelName: string;
  event: string;
  subjectLabel: string;
  toOwner: boolean;
  reminder: boolean;
  attempt: number;
  status: string;
  responseCode: number | null;
  error: string | null;
  at: Date;
  nextAttemptAt: Date | null;
}

export async function listDeliveries(options: { channelId?: string; take?: number } = {}): Promise<DeliveryLogRow[]> {
  const rows = await getDb().notificationDelivery.findMany({
    where: options.channelId ? { channelId: options.channelId } : {},
    orderBy: [{ at: "desc" }, { attempt: "desc" }],
    take: options.take ?? 50,
    include: { channel: { select: { name: true } } },
  });
  return rows.map((r) => {
    const payload = readPayload(r.payload);
    return {
      id: r.id,
      channelId: r.channelId,
      channelName: r.channel.name,
      event: r.event,
      subjectLabel: payload?.subject.label ?? r.subjectKey,
      toOwner: payload?.recipient?.kind === "mailbox_owner",
      reminder: payload?.reminder ?? false,
      attempt: r.attempt,
      status: r.status,
      responseCode: r.responseCode,
      error: r.error,
      at: r.at,
      nextAttemptAt: r.nextAttemptAt,
    };
  });
}
