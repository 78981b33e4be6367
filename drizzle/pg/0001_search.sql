-- Full-text search over conversation titles and message contents (PostgreSQL), the counterpart of
-- drizzle/sqlite/0001_fts.sql. A text search configuration that tokenizes and folds like FTS5's
-- `unicode61 remove_diacritics 2`: the simple parser and dictionary (lower-casing, no stemming, no stop
-- words), accents removed by `unaccent`, and hyphenated words indexed by their parts only ("rocket-shaped"
-- is "rocket" and "shaped", as unicode61 splits it). Generated tsvector columns stay in sync with every
-- write inside its own transaction, as FTS5's triggers do; GIN indexes serve `@@`.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION bitnet_search (COPY = pg_catalog.simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION bitnet_search
  ALTER MAPPING FOR asciiword, word, numword, hword_part, hword_asciipart, hword_numpart WITH unaccent, simple;
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION bitnet_search DROP MAPPING FOR asciihword, hword, numhword;
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('bitnet_search'::regconfig, "content")) STORED;
--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search");
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('bitnet_search'::regconfig, "title")) STORED;
--> statement-breakpoint
CREATE INDEX "conversations_search_idx" ON "conversations" USING gin ("search");
