import { notificationEventInfo, notificationEvents, type NotificationEvent } from "@/lib/notify/notification-events";

/** One checkbox per event (name "events"), all ticked unless `checked` says otherwise. */
export function EventCheckboxes({ idPrefix, checked }: { idPrefix: string; checked?: readonly NotificationEvent[] }) {
  return (
    <div className="grid gap-2 md:grid-cols-2">
      {notificationEvents.map((event) => {
        const id = `${idPrefix}-event-${event}`;
        return (
          <label key={event} htmlFor={id} className="flex items-start gap-2 text-sm text-slate-800">
            <input id={id} type="checkbox" name="events" value={event} defaultChecked={checked ? checked.includes(event) : true} className="mt-1" />
            <span>
              <span className="font-medium">{notificationEventInfo[event].label}</span>
              <span className="block text-xs text-slate-500">{notificationEventInfo[event].description}</span>
            </span>
          </label>
        );
      })}
    </div>
  );
}
