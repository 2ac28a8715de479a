// Field-by-field checks of Microsoft's error shapes (reference §6), shared by the stand-in's own
// tests and usable by the portal's tests.
import { expect } from "vitest";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/;

export interface ExpectedAadError {
  status: number;
  error: string;
  code: number;
  suberror?: string;
}

/** Asserts a token-endpoint error response and returns its body. */
export async function expectTokenError(res: Response, expected: ExpectedAadError): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(expected.status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(body.error).toBe(expected.error);
  expect(body.error_description).toEqual(expect.stringMatching(new RegExp(`^AADSTS${expected.code}: `)));
  expect(body.error_description).toEqual(expect.stringContaining(`\r\nTrace ID: ${String(body.trace_id)}\r\nCorrelation ID: ${String(body.correlation_id)}\r\nTimestamp: ${String(body.timestamp)}`));
  expect(body.error_codes).toEqual([expected.code]);
  expect(body.timestamp).toMatch(TIMESTAMP);
  expect(body.trace_id).toMatch(GUID);
  expect(body.correlation_id).toMatch(GUID);
  expect(body.error_uri).toEqual(expect.stringMatching(new RegExp(`/error\\?code=${expected.code}$`)));
  const allowed = ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri", ...(expected.suberror ? ["suberror"] : [])];
  expect(Object.keys(body).sort()).toEqual(allowed.sort());
  if (expected.suberror) expect(body.suberror).toBe(expected.suberror);
  return body;
}

/** Asserts an authorize error redirect: only error, error_description (AADSTS...) and state. */
export function expectAuthorizeError(params: Record<string, string>, expected: { error: string; code: number; state?: string }, extraKeys: string[] = []): void {
  expect(params.error).toBe(expected.error);
  expect(params.error_description).toMatch(new RegExp(`^AADSTS${expected.code}: [\\s\\S]*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`));
  const keys = ["error", "error_description", ...(expected.state !== undefined ? ["state"] : []), ...extraKeys];
  expect(Object.keys(params).sort()).toEqual(keys.sort());
  if (expected.state !== undefined) expect(params.state).toBe(expected.state);
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}
