import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PAYLOAD, NODE_VERIFY_SNIPPET, PYTHON_VERIFY_SNIPPET } from "@/lib/notify/webhook-docs";
import { notificationPayloadSchema } from "@/lib/notify/notification-payload";
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from "@/lib/notify/webhook-signature";

// The README and the Notifications page show the same snippets; the integration tests run these very
// snippets as receivers. This keeps the README from drifting.

const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Notifications"));

describe("webhook documentation", () => {
  it("the README's Notifications section carries the verification snippets word for word", () => {
    expect(readme).toContain("## Notifications");
    expect(section).toContain(NODE_VERIFY_SNIPPET);
    expect(section).toContain(PYTHON_VERIFY_SNIPPET);
  });

  it("names the header and the 5-minute window the code uses", () => {
    expect(section).toContain(SIGNATURE_HEADER);
    expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
    expect(section).toMatch(/5 minutes/);
  });

  it("the example payload has the shape the portal sends", () => {
    expect(notificationPayloadSchema.safeParse(JSON.parse(EXAMPLE_PAYLOAD)).success).toBe(true);
  });
});
