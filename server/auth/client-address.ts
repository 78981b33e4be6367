/**
 * The address key checks are counted by. Next gives route handlers and proxy.ts no socket, and the
 * `X-Forwarded-For` it passes on is whatever the client sent; so the real peer address is written into a
 * header of our own as each request arrives (the `http.server.request.start` diagnostics channel, before Next
 * sees the request), overwriting anything the client sent under that name.
 *
 * A peer on this machine (127.0.0.1, ::1) is taken to be a reverse proxy (docs/security.md, case 3): the last
 * `X-Forwarded-For` entry, the address that proxy saw, is the client. IPv6 clients are counted per /64 (one
 * machine can hold a whole /64).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Socket } from "node:net";

export const CLIENT_ADDRESS_HEADER = "x-bitnet-client-address";
/** The connection's own peer (not what it forwards): who may vouch for a user with BITNET_TRUSTED_USER_HEADER (./trusted-proxy.ts). */
export const PEER_ADDRESS_HEADER = "x-bitnet-peer-address";
const UNKNOWN = "unknown";
const holder = globalThis as typeof globalThis & { __bitnetClientAddresses?: boolean };

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** The client behind a request: the peer, or (for a local reverse proxy) the last address it forwarded. */
export function clientAddressOf(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
  if (!peer) return UNKNOWN;
  if (isLoopback(peer) && forwardedFor !== undefined) {
    const last = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").at(-1)!.trim();
    if (isIP(last)) return last;
  }
  return peer;
}

/** Expands an IPv6 address to its eight 16-bit groups (an embedded IPv4 tail becomes two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The throttle's key for an address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 prefix. */
export function addressBucket(address: string): string {
  if (isIP(address) === 4) return address;
  if (isIP(address) !== 6) return UNKNOWN;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Installed once at server start (instrumentation.ts): stamps every incoming request with its client's address. */
export function stampClientAddresses(): () => void {
  const onRequest = (message: unknown) => {
    const { request, socket } = message as { request?: IncomingMessage; socket?: Socket };
    if (!request) return;
    request.headers[CLIENT_ADDRESS_HEADER] = addressBucket(clientAddressOf(socket?.remoteAddress, request.headers["x-forwarded-for"]));
    request.headers[PEER_ADDRESS_HEADER] = socket?.remoteAddress ?? UNKNOWN;
  };
  diagnosticsChannel.subscribe("http.server.request.start", onRequest);
  holder.__bitnetClientAddresses = true;
  return () => {
    diagnosticsChannel.unsubscribe("http.server.request.start", onRequest);
    holder.__bitnetClientAddresses = false;
  };
}

/**
 * The stamped address of a request. Without the stamping (not started through instrumentation.ts) the
 * header could be the client's own, so every request then counts as one address: stricter, never looser.
 */
export function clientAddress(headers: Headers): string {
  return holder.__bitnetClientAddresses ? (headers.get(CLIENT_ADDRESS_HEADER) ?? UNKNOWN) : UNKNOWN;
}

/** The stamped peer address of a request's connection; undefined without the stamping (then nobody is a trusted proxy). */
export function peerAddress(headers: Headers): string | undefined {
  return holder.__bitnetClientAddresses ? (headers.get(PEER_ADDRESS_HEADER) ?? undefined) : undefined;
}
