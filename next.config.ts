import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  // Native addons and the model runtime must be loaded by Node at run time, not bundled.
  // llama3-tokenizer-js (attachment token counts) decodes its vocabulary in ≈ 360 ms when it is imported:
  // external, so the one copy instrumentation.ts loads at startup is the one every route then finds loaded.
  serverExternalPackages: ["onnxruntime-node", "better-sqlite3", "@huggingface/transformers", "sharp", "unpdf", "llama3-tokenizer-js"],
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
