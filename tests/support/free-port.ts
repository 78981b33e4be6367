/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: for a server a test starts, or as an
 * address that refuses connections (an unreachable hub).
 */
import net from "node:net";

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
