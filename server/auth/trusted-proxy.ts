/**
 * Behind a reverse proxy that authenticates (oauth2-proxy, Authelia, …; docs/security.md case 4): with
 * BITNET_AUTH=accounts, `BITNET_TRUSTED_USER_HEADER` (e.g. X-Forwarded-User) names the signed-in account —
 * but only on connections whose peer address is one of `BITNET_TRUSTED_PROXIES`. The peer is the socket's
 * own address, stamped as the request arrives (./client-address.ts), so no header a client sends can make
 * it trusted; from any other address the header is ignored.
 */
import { isIP } from "node:net";
import { peerAddress } from "./client-address";

export interface TrustedProxyConfig {
  /** Lowercase header name. */
  header: string;
  proxies: ReadonlySet<string>;
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) as plain IPv4, IPv6 lowercased: how peers and the list are compared. */
function canonical(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

export function trustedProxyFromEnv(env: Record<string, string | undefined> = process.env): TrustedProxyConfig | null {
  const header = env.BITNET_TRUSTED_USER_HEADER?.trim().toLowerCase() ?? "";
  const list = (env.BITNET_TRUSTED_PROXIES ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  if (header === "" && list.length === 0) return null;
  if (header === "" || list.length === 0) throw new Error("BITNET_TRUSTED_USER_HEADER and BITNET_TRUSTED_PROXIES go together: set both or neither.");
  const bad = list.find((address) => isIP(address) === 0);
  if (bad) throw new Error(`BITNET_TRUSTED_PROXIES lists IP addresses, comma-separated (got "${bad}").`);
  return { header, proxies: new Set(list.map(canonical)) };
}

/** The user name a trusted proxy vouches for, or null (no such configuration, another peer, or no header). */
export function trustedProxyUserName(headers: Headers, config: TrustedProxyConfig | null = trustedProxyFromEnv()): string | null {
  if (!config) return null;
  const peer = peerAddress(headers);
  if (peer === undefined || !config.proxies.has(canonical(peer))) return null;
  const name = headers.get(config.header)?.trim() ?? "";
  return name === "" ? null : name;
}
