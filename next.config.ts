import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons and the model runtime must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["onnxruntime-node", "better-sqlite3", "@huggingface/transformers", "sharp"],
  poweredByHeader: false,
};

export default nextConfig;
