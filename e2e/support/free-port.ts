import net from "node:net";

/**
 * A TCP port that was free on 127.0.0.1 a moment ago. The kernel picks it (port 0), so two
 * callers do not get the same one; a caller that binds later must still handle EADDRINUSE,
 * because another process may take the port in between.
 */
export function getFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("Could not read the port the kernel assigned."));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
