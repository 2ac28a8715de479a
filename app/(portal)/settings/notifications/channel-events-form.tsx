"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { EventCheckboxes } from "@/components/notify/event-checkboxes";
import { Button } from "@/components/ui/button";
import { FieldMessages } from "@/components/ui/field";
import type { NotificationEvent } from "@/lib/notify/notification-events";
import { updateChannelEventsAction } from "./actions";

/** A channel's event filter, changed in place. */
export function ChannelEventsForm({ channelId, events }: { channelId: string; events: NotificationEvent[] }) {
  const form = useActionForm(updateChannelEventsAction);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-blue-700">Change events</summary>
      <form onSubmit={form.onSubmit} noValidate className="mt-3 space-y-3" aria-label="Events of this channel">
        <input type="hidden" name="channelId" value={channelId} />
        <EventCheckboxes idPrefix={channelId} checked={events} />
        <FieldMessages name="events" error={form.fieldError("events") ?? form.formError} />
        {form.successMessage && <p className="text-sm text-green-800">{form.successMessage}</p>}
        <Button type="submit" variant="secondary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Save events"}
        </Button>
      </form>
    </details>
  );
}
