CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`actor_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`report_id` integer,
	`unit_id` integer,
	`revision_id` integer,
	`from_status` text,
	`to_status` text,
	`comment` text,
	`detail` text,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revision_id`) REFERENCES `report_revisions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_events_report_at_idx` ON `audit_events` (`report_id`,`at`);--> statement-breakpoint
CREATE TABLE `cycles` (
	`year` integer PRIMARY KEY NOT NULL,
	`template` text NOT NULL,
	`deadline` integer NOT NULL,
	`reminder_days` text DEFAULT '[30,14,7,3,1,0]' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "cycles_status_valid" CHECK("status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE `login_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`ip` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `login_tokens_person_idx` ON `login_tokens` (`person_id`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`person_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`person_id`, `unit_id`, `role`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "memberships_role_valid" CHECK("role" in ('clerk', 'supervisor'))
);
--> statement-breakpoint
CREATE INDEX `memberships_unit_idx` ON `memberships` (`unit_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`dedup_key` text NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	`report_id` integer,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_status_valid" CHECK("status" in ('pending', 'sending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedup_key_unique` ON `outbox` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `outbox_status_next_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "people_email_lowercase" CHECK("email" = lower("email")),
	CONSTRAINT "people_role_valid" CHECK("role" in ('clerk', 'supervisor', 'admin'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);--> statement-breakpoint
CREATE TABLE `published_cells` (
	`version_id` integer NOT NULL,
	`year` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`cell` text NOT NULL,
	`value` real,
	PRIMARY KEY(`version_id`, `cell`),
	FOREIGN KEY (`version_id`) REFERENCES `report_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `published_cells_year_cell_idx` ON `published_cells` (`year`,`cell`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_revisions` (
	`id` integer PRIMARY KEY NOT NULL,
	`report_id` integer NOT NULL,
	`number` integer NOT NULL,
	`content_hash` text NOT NULL,
	`sections` text NOT NULL,
	`cells` text NOT NULL,
	`explanations` text NOT NULL,
	`author_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_revisions_report_number_unique` ON `report_revisions` (`report_id`,`number`);--> statement-breakpoint
CREATE TABLE `report_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`report_id` integer NOT NULL,
	`version` integer NOT NULL,
	`revision_id` integer NOT NULL,
	`published_at` integer NOT NULL,
	`submitted_at` integer,
	`on_time` integer,
	`reason` text,
	`imported` integer DEFAULT false NOT NULL,
	`is_current` integer DEFAULT true NOT NULL,
	`approved_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revision_id`) REFERENCES `report_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_versions_report_version_unique` ON `report_versions` (`report_id`,`version`);--> statement-breakpoint
CREATE INDEX `report_versions_current_idx` ON `report_versions` (`is_current`);--> statement-breakpoint
CREATE UNIQUE INDEX `report_versions_one_current` ON `report_versions` (`report_id`) WHERE "is_current" = 1;--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`year` integer NOT NULL,
	`template` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`expected` integer DEFAULT true NOT NULL,
	`imported` integer DEFAULT false NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`current_revision_id` integer,
	`submitted_revision_id` integer,
	`submitted_at` integer,
	`return_comment` text,
	`published_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`current_revision_id`) REFERENCES `report_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_revision_id`) REFERENCES `report_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_status_valid" CHECK("status" in ('draft', 'returned', 'submitted', 'published')),
	CONSTRAINT "reports_revision_nonneg" CHECK("revision" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_unit_year_unique` ON `reports` (`unit_id`,`year`);--> statement-breakpoint
CREATE INDEX `reports_year_status_idx` ON `reports` (`year`,`status`);--> statement-breakpoint
CREATE TABLE `review_links` (
	`nonce_hash` text PRIMARY KEY NOT NULL,
	`report_id` integer NOT NULL,
	`revision_id` integer NOT NULL,
	`content_hash` text NOT NULL,
	`person_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`decision` text,
	`invalidated_at` integer,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revision_id`) REFERENCES `report_revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "review_links_decision_valid" CHECK("decision" is null or "decision" in ('approve', 'return'))
);
--> statement-breakpoint
CREATE INDEX `review_links_report_idx` ON `review_links` (`report_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_person_idx` ON `sessions` (`person_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "units_code_format" CHECK("code" <> '' and "code" not glob '*[^A-Za-z0-9_-]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_code_unique` ON `units` (`code`);--> statement-breakpoint
CREATE INDEX `units_parent_idx` ON `units` (`parent_id`);