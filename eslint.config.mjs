import next from "eslint-config-next";

const config = [
  { ignores: [".next/**", "node_modules/**", "test-models/**", "data/**", ".cache/**", "next-env.d.ts"] },
  ...next,
];
export default config;
