// A throwaway CA and a leaf for 127.0.0.1/localhost, made with openssl, so clients in the tests
// verify the servers' certificates against a CA they were given (never rejectUnauthorized: false).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface TestTls {
  caPem: string;
  certPath: string;
  keyPath: string;
}

export function createTestTls(dir: string): TestTls {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ecKey, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "2", "-subj", "/CN=mail stand-in test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("req", "-new", ...ecKey, "-keyout", file("leaf.key"), "-out", file("leaf.csr"), "-subj", "/CN=localhost");
  fs.writeFileSync(
    file("leaf.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  openssl("x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial",
    "-out", file("leaf.pem"), "-days", "2", "-extfile", file("leaf.ext"));
  return { caPem: fs.readFileSync(file("ca.pem"), "utf8"), certPath: file("leaf.pem"), keyPath: file("leaf.key") };
}
