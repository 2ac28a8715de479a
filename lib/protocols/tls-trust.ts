// TLS trust for one check. A custom cloud's CA is added to Node's bundled roots for this
// connection only; it is never installed process-wide (NODE_EXTRA_CA_CERTS stays as it is).
import tls from "node:tls";

/** `ca` for tls.connect / https.request: undefined (Node's default trust) unless an extra CA is given. */
export function trustedCas(trustedCaPem: string | undefined): string[] | undefined {
  if (!trustedCaPem || trustedCaPem.trim().length === 0) return undefined;
  return [...tls.rootCertificates, trustedCaPem];
}

/**
 * TLS options that also tell the caller when the server's certificate has been accepted (the end
 * of the handshake), so the connect stage can be timed inside libraries that own the socket.
 */
export function tlsOptions(trustedCaPem: string | undefined, onVerified?: () => void): tls.ConnectionOptions {
  const ca = trustedCas(trustedCaPem);
  return {
    ...(ca ? { ca } : {}),
    minVersion: "TLSv1.2",
    rejectUnauthorized: true,
    checkServerIdentity: (hostname, cert) => {
      const problem = tls.checkServerIdentity(hostname, cert);
      if (!problem) onVerified?.();
      return problem;
    },
  };
}
