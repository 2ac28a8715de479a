// The receivers' verification code exactly as the README documents it (lib/notify/webhook-docs.ts, kept
// equal to the README by webhook-docs.test.ts), loaded as a receiver would: the Node snippet as an ES
// module file, the Python snippet run by python3.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { NODE_VERIFY_SNIPPET, PYTHON_VERIFY_SNIPPET } from "@/lib/notify/webhook-docs";

export type NodeVerifier = (rawBody: string | Buffer, header: string | undefined, secret: string, toleranceSeconds?: number) => boolean;

export async function loadDocumentedNodeVerifier(): Promise<NodeVerifier> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhook-doc-"));
  const file = path.join(dir, "verify-portal-signature.mjs");
  fs.writeFileSync(file, NODE_VERIFY_SNIPPET);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { verifyPortalSignature?: NodeVerifier };
  if (typeof mod.verifyPortalSignature !== "function") throw new Error("the documented Node snippet exports no verifyPortalSignature");
  return mod.verifyPortalSignature;
}

/** Runs the documented Python function on one request; true when it accepts it. */
export function verifyWithDocumentedPython(rawBody: Buffer, header: string, secret: string): boolean {
  const program = `${PYTHON_VERIFY_SNIPPET}

import base64, json, sys
req = json.load(sys.stdin)
print("ACCEPT" if verify_portal_signature(base64.b64decode(req["body"]), req["header"], req["secret"]) else "REFUSE")
`;
  const run = spawnSync("python3", ["-c", program], { input: JSON.stringify({ body: rawBody.toString("base64"), header, secret }), encoding: "utf8", timeout: 20_000 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  const verdict = run.stdout.trim();
  if (verdict !== "ACCEPT" && verdict !== "REFUSE") throw new Error(`python3 said ${verdict}`);
  return verdict === "ACCEPT";
}
