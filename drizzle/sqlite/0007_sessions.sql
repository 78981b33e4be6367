CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`key_fingerprint` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);