import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  // Native addons and the model runtime must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["onnxruntime-node", "better-sqlite3", "@huggingface/transformers", "sharp", "unpdf"],
  poweredByHeader: false,
  experimental: {
    // With proxy.ts, Next buffers request bodies up to this size and silently cuts the rest: it must be above
    // the largest body a route accepts (imports, 20 MB), which then answers 413 itself.
    proxyClientMaxBodySize: "21mb",
  },
  async headers() {
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
