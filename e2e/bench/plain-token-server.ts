import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import http from "node:http";

// The benchmark's yardstick (issue #7 item 8): a plain Node HTTP server that, per request, decrypts a
// token of the given size (AES-256-GCM with AAD, as the vault does) and returns it as JSON with its
// XOAUTH2 string, about the size of the token API's answer. No routing, no authentication, no cache:
// the least work a server handing out a stored token can do. Run as its own process:
//   tsx e2e/bench/plain-token-server.ts <tokenLength>   → prints the port, serves on 127.0.0.1.

const length = Number(process.argv[2] ?? 1500);
const key = randomBytes(32);
const iv = randomBytes(12);
const aad = Buffer.from("grant:bench:resource");
const cipher = createCipheriv("aes-256-gcm", key, iv);
cipher.setAAD(aad);
const token = randomBytes(Math.ceil(length * 0.75)).toString("base64url").slice(0, length);
const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
const tag = cipher.getAuthTag();

const server = http.createServer((req, res) => {
  req.resume();
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const accessToken = Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
  const body = JSON.stringify({
    access_token: accessToken,
    token_type: "Bearer",
    xoauth2: Buffer.from(`user=bench@contoso.com\x01auth=Bearer ${accessToken}\x01\x01`).toString("base64"),
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
