import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeSignature, signatureHeader, verifySignatureHeader } from "@/lib/notify/webhook-signature";

const secret = "whsec_test-secret-of-enough-length-0123456789";
const body = JSON.stringify({ type: "mailbox.failing", subject: { label: "adele.vance@contoso.com" }, note: "ünïcödé" });
const t = 1_767_225_600;

describe("webhook signature", () => {
  it("is HMAC-SHA256 over `<timestamp>.<body>` in hex, as documented", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`, "utf8").digest("hex");
    expect(computeSignature(secret, t, body)).toBe(expected);
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies a genuine header within 5 minutes either way", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignatureHeader(header, body, secret, t)).toEqual({ ok: true, timestamp: t });
    expect(verifySignatureHeader(header, body, secret, t + 300).ok).toBe(true);
    expect(verifySignatureHeader(header, body, secret, t - 300).ok).toBe(true);
  });

  it("refuses a replay older than 5 minutes even though the signature is genuine", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignatureHeader(header, body, secret, t + 301)).toEqual({ ok: false, reason: "timestamp_out_of_window" });
  });

  it("refuses a changed body, another secret, or a timestamp moved without re-signing", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignatureHeader(header, body.replace("failing", "recovered"), secret, t)).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifySignatureHeader(header, body, `${secret}x`, t)).toEqual({ ok: false, reason: "signature_mismatch" });
    const moved = header.replace(`t=${t}`, `t=${t + 100}`);
    expect(verifySignatureHeader(moved, body, secret, t + 100)).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("refuses malformed headers", () => {
    for (const h of [undefined, "", "v1=abc", `t=${t}`, "t=abc,v1=00", `t=${t},v1=`]) {
      expect(verifySignatureHeader(h, body, secret, t).ok, String(h)).toBe(false);
    }
    expect(verifySignatureHeader(`t=${t},v1=zz`, body, secret, t)).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("accepts any of several v1 values (a receiver changing secrets)", () => {
    const good = computeSignature(secret, t, body);
    expect(verifySignatureHeader(`t=${t},v1=${"0".repeat(64)},v1=${good}`, body, secret, t).ok).toBe(true);
  });
});
