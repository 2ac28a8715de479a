// TLS trust for one check. A custom cloud's CA is added to Node's bundled roots for that check's
// connections only; it is never installed process-wide (NODE_EXTRA_CA_CERTS stays as it is).
import tls from "node:tls";

const MIN_VERSION = "TLSv1.2";

// Building a context from Node's ~140 bundled roots plus one CA costs about 40 ms of CPU, far more
// than a check against a nearby server: contexts are kept per CA (a handful of custom clouds at most).
const MAX_CONTEXTS = 16;
const contexts = new Map<string, tls.SecureContext>();

function secureContextFor(trustedCaPem: string): tls.SecureContext {
  let context = contexts.get(trustedCaPem);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, trustedCaPem], minVersion: MIN_VERSION });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(trustedCaPem, context);
  }
  return context;
}

/**
 * Options for tls.connect / https.request: Node's default trust unless an extra CA is given, TLS 1.2
 * or later, and `onVerified` once the server's certificate has been accepted (the end of the
 * handshake), so the connect stage can be timed inside libraries that own the socket.
 */
export function tlsOptions(trustedCaPem: string | undefined, onVerified?: () => void): tls.ConnectionOptions {
  const extra = trustedCaPem && trustedCaPem.trim().length > 0 ? trustedCaPem : undefined;
  return {
    ...(extra ? { secureContext: secureContextFor(extra) } : { minVersion: MIN_VERSION }),
    rejectUnauthorized: true,
    checkServerIdentity: (hostname, cert) => {
      const problem = tls.checkServerIdentity(hostname, cert);
      if (!problem) onVerified?.();
      return problem;
    },
  };
}
