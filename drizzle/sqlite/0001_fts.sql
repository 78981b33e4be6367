-- Full-text search over conversation titles and message contents (SQLite FTS5).
-- External-content tables: the text lives once, in the real tables; the triggers below keep the
-- indexes in sync inside the same transaction as the write that changed the row (cascade deletes
-- of messages fire the message trigger too).
CREATE VIRTUAL TABLE `messages_fts` USING fts5(content, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
CREATE VIRTUAL TABLE `conversations_fts` USING fts5(title, content='conversations', content_rowid='seq', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` BEGIN
  INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF content ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
  INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_fts_ai` AFTER INSERT ON `conversations` BEGIN
  INSERT INTO conversations_fts(rowid, title) VALUES (new.seq, new.title);
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_fts_ad` AFTER DELETE ON `conversations` BEGIN
  INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.seq, old.title);
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_fts_au` AFTER UPDATE OF title ON `conversations` BEGIN
  INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.seq, old.title);
  INSERT INTO conversations_fts(rowid, title) VALUES (new.seq, new.title);
END;
