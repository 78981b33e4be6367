/**
 * The checks every request passes before any route runs (called from `proxy.ts`):
 *
 * - **Host allowlist** against DNS rebinding: a page on `evil.example` whose name is re-pointed at
 *   127.0.0.1 sends `Host: evil.example`, so only loopback names, the configured names and (when listening
 *   on all interfaces) this machine's own addresses are served. IP literals cannot be rebound.
 * - **Origin check** against cross-site requests: a state-changing request from a browser carries `Origin`;
 *   it must be this app's own origin (or, for `/v1`, one of `BITNET_CORS_ORIGINS`).
 * - **CORS** for `/v1` only, and only for the configured origins.
 *
 * Pure functions of the request's method, path and headers, so they are unit-tested without Next.
 */
import os from "node:os";

export interface GuardConfig {
  /** Lower-case hostnames (any port) or `host:port` pairs; `*` allows any Host. */
  allowedHosts: string[];
  /** Exact origins (`https://app.example`) allowed to call `/v1` from a browser; `*` allows any. */
  corsOrigins: string[];
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];
const ALL_INTERFACES = new Set(["", "0.0.0.0", "::", "[::]"]);

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** This machine's own addresses: what a LAN client types when the server listens on 0.0.0.0. */
function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) out.push(info.family === "IPv6" ? `[${info.address.split("%")[0]}]` : info.address);
  }
  return out;
}

export function guardConfigFromEnv(env: Record<string, string | undefined> = process.env): GuardConfig {
  const host = (env.HOST ?? "").trim().toLowerCase();
  const listenHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const allowedHosts = [...LOOPBACK_HOSTS, ...list(env.BITNET_ALLOWED_HOSTS)];
  if (ALL_INTERFACES.has(listenHost)) {
    if (listenHost !== "") allowedHosts.push(...interfaceAddresses());
  } else allowedHosts.push(listenHost);
  return { allowedHosts: [...new Set(allowedHosts)], corsOrigins: list(env.BITNET_CORS_ORIGINS) };
}

/** `Host` header → `{ hostname, host }` (lower case, IPv6 in brackets, trailing dot dropped); null if unparsable. */
export function parseHost(value: string | null): { hostname: string; host: string } | null {
  if (!value) return null;
  try {
    const url = new URL(`http://${value}`);
    if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return null;
    const hostname = url.hostname.replace(/\.$/, "");
    return { hostname, host: url.port ? `${hostname}:${url.port}` : hostname };
  } catch {
    return null;
  }
}

export function isAllowedHost(hostHeader: string | null, config: GuardConfig): boolean {
  const parsed = parseHost(hostHeader);
  if (!parsed) return false;
  return config.allowedHosts.some((entry) => entry === "*" || entry === parsed.hostname || entry === parsed.host);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isOpenAIPath(pathname: string): boolean {
  return pathname === "/v1" || pathname.startsWith("/v1/");
}

/** The `Origin` value allowed to read `/v1` responses, or null. */
export function corsOriginFor(origin: string | null, pathname: string, config: GuardConfig): string | null {
  if (!origin || !isOpenAIPath(pathname) || config.corsOrigins.length === 0) return null;
  const normalized = origin.toLowerCase();
  if (config.corsOrigins.includes("*")) return origin;
  return config.corsOrigins.includes(normalized) ? origin : null;
}

/** Whether `Origin` names this very server (same scheme-less host and port as the request's Host). */
function isOwnOrigin(origin: string, hostHeader: string | null): boolean {
  if (origin === "null") return false;
  try {
    const url = new URL(origin);
    const own = parseHost(hostHeader);
    const theirs = parseHost(url.host);
    return own !== null && theirs !== null && (url.protocol === "http:" || url.protocol === "https:") && own.host === theirs.host;
  } catch {
    return false;
  }
}

export interface GuardRequest {
  method: string;
  pathname: string;
  headers: Headers;
}

export type GuardVerdict =
  | { allow: true; corsOrigin: string | null }
  | { allow: false; status: number; code: string; message: string };

export function checkRequest(request: GuardRequest, config: GuardConfig): GuardVerdict {
  const host = request.headers.get("host");
  if (!isAllowedHost(host, config)) {
    return {
      allow: false,
      status: 403,
      code: "host_not_allowed",
      message:
        `This server does not answer to the host name '${host ?? ""}'. ` +
        "Open it as 127.0.0.1 or localhost, or add the name to BITNET_ALLOWED_HOSTS.",
    };
  }
  const origin = request.headers.get("origin");
  const corsOrigin = corsOriginFor(origin, request.pathname, config);
  const method = request.method.toUpperCase();
  if (!SAFE_METHODS.has(method)) {
    // Browsers always send Origin on cross-site POST/PATCH/DELETE; `Sec-Fetch-Site` covers the rare one without.
    const crossSite = origin !== null ? !isOwnOrigin(origin, host) : request.headers.get("sec-fetch-site") === "cross-site";
    if (crossSite && corsOrigin === null) {
      return {
        allow: false,
        status: 403,
        code: "origin_not_allowed",
        message: `Requests from the origin '${origin ?? "another site"}' are not allowed.`,
      };
    }
  }
  return { allow: true, corsOrigin };
}

/** Headers for a CORS response to an allowed origin (the preflight also gets the methods and headers). */
export function corsHeaders(origin: string, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
  if (preflight) {
    headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS";
    headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type";
    headers["Access-Control-Max-Age"] = "600";
  }
  return headers;
}
