-- Administrators get memberships on the units they administer (role admin); outbox rows keep
-- when they were last tried; the audit page reads events newest first, by unit or all.
-- No table refers to memberships, so it is rebuilt (SQLite cannot change a CHECK) without
-- turning foreign keys off.
CREATE TABLE `__new_memberships` (
	`person_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`person_id`, `unit_id`, `role`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "memberships_role_valid" CHECK("role" in ('clerk', 'supervisor', 'admin'))
);
--> statement-breakpoint
INSERT INTO `__new_memberships`("person_id", "unit_id", "role") SELECT "person_id", "unit_id", "role" FROM `memberships`;--> statement-breakpoint
DROP TABLE `memberships`;--> statement-breakpoint
ALTER TABLE `__new_memberships` RENAME TO `memberships`;--> statement-breakpoint
CREATE INDEX `memberships_unit_idx` ON `memberships` (`unit_id`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `last_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_unit_at_idx` ON `audit_events` (`unit_id`,`at`);