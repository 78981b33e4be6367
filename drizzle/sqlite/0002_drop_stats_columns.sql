ALTER TABLE `messages` DROP COLUMN `prompt_tokens`;--> statement-breakpoint
ALTER TABLE `messages` DROP COLUMN `completion_tokens`;--> statement-breakpoint
ALTER TABLE `messages` DROP COLUMN `ttft_ms`;--> statement-breakpoint
ALTER TABLE `messages` DROP COLUMN `total_ms`;--> statement-breakpoint
ALTER TABLE `messages` DROP COLUMN `tokens_per_s`;