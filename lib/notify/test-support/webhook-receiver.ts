// A webhook receiver as a customer would write it from the README: node:http, the raw body, the documented
// verification (signature and the 5-minute window), 401 for anything that does not verify. Its answers to
// verified requests follow a script (e.g. 500, 500, then 200) so retries can be watched.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeVerifier } from "@/lib/notify/test-support/documented-verifiers";

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  verified: boolean;
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Status codes for the next verified requests, in order; 200 once the script is used up. */
  script(codes: number[]): void;
  secret: string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(verify: NodeVerifier, secret: string, options: { host?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  let codes: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const header = req.headers["x-portal-signature"];
      const verified = req.method === "POST" && verify(rawBody, typeof header === "string" ? header : undefined, receiver.secret);
      const answered = verified ? (codes.shift() ?? 200) : 401;
      received.push({ headers: req.headers, rawBody, verified, answered });
      res.writeHead(answered, { "Content-Type": "text/plain" }).end(verified ? "thanks" : "signature refused");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/hooks/mail-portal`,
    received,
    secret,
    script(next) {
      codes = [...next];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
