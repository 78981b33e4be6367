import { defineConfig } from "drizzle-kit";

/** The PostgreSQL migrations (DATABASE_URL=postgres://…); drizzle.config.ts holds SQLite's. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/pg/schema.ts",
  out: "./drizzle/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/bitnet_chat" },
});
