import { describe, expect, it } from "vitest";
import { channelFormFromData, channelFormSchema } from "@/lib/notify/channel-form";
import { channelWantsEvent, formatEventFilter, notificationEvents, parseEventFilter } from "@/lib/notify/notification-events";

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  return data;
}

const issuesOf = (input: Record<string, string | string[]>) => {
  const r = channelFormSchema.safeParse(channelFormFromData(form(input)));
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("channel form", () => {
  it("reads a webhook with several events and a generated secret", () => {
    const r = channelFormSchema.parse(channelFormFromData(form({ kind: "webhook", name: " Help desk ", url: "https://hooks.example.com/x?k=1", secretMode: "generate", events: ["mailbox.failing", "mailbox.recovered"] })));
    expect(r).toMatchObject({ kind: "webhook", name: "Help desk", url: "https://hooks.example.com/x?k=1", secretMode: "generate", events: ["mailbox.failing", "mailbox.recovered"] });
  });

  it("puts each problem beside its field", () => {
    expect(issuesOf({ kind: "webhook", name: "", url: "ftp://x", events: [] })).toMatchObject({
      name: expect.stringContaining("Enter a name"),
      url: expect.stringContaining("http://"),
      events: "Choose at least one event.",
    });
    expect(issuesOf({ kind: "webhook", name: "W", url: "http://127.0.0.1:9/x", secretMode: "enter", secret: "short", events: ["mailbox.failing"] })).toEqual({
      secret: expect.stringContaining("at least 24"),
    });
    expect(issuesOf({ kind: "email", name: "E", emailTo: "ops@example.com, not-an-address", emailVia: "mailbox", events: ["mailbox.failing"] })).toEqual({
      emailTo: expect.stringContaining("not-an-address"),
      viaMailboxId: expect.stringContaining("connected mailbox"),
    });
    expect(issuesOf({ kind: "sms", name: "S" })).toHaveProperty("kind");
  });

  it("normalises e-mail recipients", () => {
    const r = channelFormSchema.parse(channelFormFromData(form({ kind: "email", name: "E", emailTo: "Ops@Example.com; it@example.com", emailVia: "smtp", events: ["mailbox.failing"] })));
    expect(r).toMatchObject({ emailTo: "ops@example.com, it@example.com", emailVia: "smtp" });
  });
});

describe("event filters", () => {
  it("stores every event as the empty filter, so later events reach the channel too", () => {
    expect(formatEventFilter([...notificationEvents])).toBe("");
    expect(formatEventFilter(["mailbox.recovered", "mailbox.failing"])).toBe("mailbox.failing mailbox.recovered");
    expect(parseEventFilter("mailbox.failing future.event")).toEqual(["mailbox.failing"]);
  });

  it("matches events, and a test always passes", () => {
    expect(channelWantsEvent("", "app.credential_expiring")).toBe(true);
    expect(channelWantsEvent("mailbox.failing", "app.credential_expiring")).toBe(false);
    expect(channelWantsEvent("mailbox.failing", "mailbox.failing")).toBe(true);
    expect(channelWantsEvent("mailbox.failing", "notification.test")).toBe(true);
  });
});
