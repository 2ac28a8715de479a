// The counting relay's own process (see counting-proxy.ts). Its event loop is not the portal's, so it
// sees connections open and close when they really do, as the server behind it does.
//   argv[2] = JSON { host, port, delayMs }
//   stdout: LISTENING <port>; then one JSON line per STATS command; RESET clears the figures.
import net from "node:net";
import readline from "node:readline";

const { host, port, delayMs } = JSON.parse(process.argv[2] ?? "{}") as { host: string; port: number; delayMs: number };
const now = () => performance.timeOrigin + performance.now();

let active = 0;
let peak = 0;
let sessions: Array<[number, number | null]> = [];

const server = net.createServer((client) => {
  const session: [number, number | null] = [now(), null];
  sessions.push(session);
  active++;
  peak = Math.max(peak, active);
  client.pause();
  let ended = false;
  let remote: net.Socket | null = null;
  // A session ends when either side closes its end: Dovecot closes right after answering LOGOUT.
  const end = () => {
    if (ended) return;
    ended = true;
    session[1] = now();
    active--;
    client.destroy();
    remote?.destroy();
  };
  for (const event of ["error", "end", "close"]) client.on(event, end);
  setTimeout(() => {
    if (ended) return;
    remote = net.connect(port, host, () => {
      client.pipe(remote!);
      remote!.pipe(client);
      client.resume();
    });
    for (const event of ["error", "end", "close"]) remote.on(event, end);
  }, delayMs);
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as net.AddressInfo).port}\n`);
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "STATS") process.stdout.write(`${JSON.stringify({ active, peak, sessions })}\n`);
  else if (line === "RESET") {
    peak = active;
    sessions = [];
    process.stdout.write("OK\n");
  }
});
process.stdin.on("end", () => process.exit(0));
