import type { z } from "zod";

/** What a handler answers: a status and the body's bytes (JSON unless said otherwise). */
export interface ApiReply {
  status: number;
  body: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A JSON answer parsed through its published schema first, so only documented fields can leave. */
export function jsonReply<S extends z.ZodType>(schema: S, value: z.input<S>, status = 200): ApiReply {
  return { status, body: Buffer.from(JSON.stringify(schema.parse(value)), "utf8") };
}
