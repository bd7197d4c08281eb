CREATE TABLE `daily_work` (
	`run_at` integer NOT NULL,
	`item` text NOT NULL,
	`body` text NOT NULL,
	`queued_at` integer NOT NULL,
	`done_at` integer,
	`error` text,
	PRIMARY KEY(`run_at`, `item`)
);
--> statement-breakpoint
CREATE INDEX `daily_work_open_idx` ON `daily_work` (`done_at`,`queued_at`);