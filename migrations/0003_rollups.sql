CREATE TABLE `rollup_cells` (
	`unit_id` integer NOT NULL,
	`year` integer NOT NULL,
	`template` text NOT NULL,
	`cell` text NOT NULL,
	`total` real DEFAULT 0 NOT NULL,
	`filled` integer DEFAULT 0 NOT NULL,
	`present` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`unit_id`, `year`, `template`, `cell`),
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rollup_counts` (
	`unit_id` integer NOT NULL,
	`year` integer NOT NULL,
	`template` text NOT NULL,
	`expected` integer DEFAULT 0 NOT NULL,
	`published` integer DEFAULT 0 NOT NULL,
	`on_time` integer DEFAULT 0 NOT NULL,
	`last_published_at` integer,
	PRIMARY KEY(`unit_id`, `year`, `template`),
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Backfill: every unit's subtree sums of the current published versions (src/reports/rollups.ts keeps them from here on).
WITH RECURSIVE up(unit_id, ancestor) AS (
	SELECT id, id FROM units
	UNION ALL
	SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.ancestor WHERE u.parent_id IS NOT NULL
)
INSERT INTO `rollup_cells` (unit_id, year, template, cell, total, filled, present)
SELECT up.ancestor, r.year, r.template, pc.cell, coalesce(sum(pc.value), 0), count(pc.value), count(*)
FROM report_versions v
JOIN reports r ON r.id = v.report_id
JOIN published_cells pc ON pc.version_id = v.id
JOIN up ON up.unit_id = r.unit_id
WHERE v.is_current = 1
GROUP BY up.ancestor, r.year, r.template, pc.cell;
--> statement-breakpoint
WITH RECURSIVE up(unit_id, ancestor) AS (
	SELECT id, id FROM units
	UNION ALL
	SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.ancestor WHERE u.parent_id IS NOT NULL
)
INSERT INTO `rollup_counts` (unit_id, year, template, expected, published, on_time, last_published_at)
SELECT up.ancestor, r.year, r.template, coalesce(sum(r.expected = 1), 0), count(v.id), coalesce(sum(v1.on_time = 1), 0), max(v.published_at)
FROM reports r
JOIN up ON up.unit_id = r.unit_id
LEFT JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1
GROUP BY up.ancestor, r.year, r.template;
