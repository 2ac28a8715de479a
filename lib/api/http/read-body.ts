import type { IncomingMessage } from "node:http";
import { ApiProblem } from "@/lib/api/http/api-problem";

// The token API's request bodies are small or absent; anything larger than this is refused unread.
const MAX_BODY_BYTES = 16 * 1024;

/** The parsed JSON body, or undefined when there is none. Refuses other content types and malformed JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw bodyProblem("The body is larger than 16 KiB.");
  if (declared === 0 && req.headers["transfer-encoding"] === undefined) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw bodyProblem("The body is larger than 16 KiB.");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw bodyProblem("Send the body as application/json, or send none.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bodyProblem("The body is not valid JSON.");
  }
}

function bodyProblem(message: string): ApiProblem {
  return new ApiProblem("invalid_request", message, { errors: [{ in: "body", name: "body", message }] });
}
