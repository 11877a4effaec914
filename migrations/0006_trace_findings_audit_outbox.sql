CREATE TABLE `audit_outbox` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`row` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_outbox_tenant_id_pk_idx` ON `audit_outbox` (`tenant_id`,`pk`);--> statement-breakpoint
DROP INDEX `spans_tenant_id_model_idx`;--> statement-breakpoint
DROP INDEX `constitutional_evaluations_natural_idx`;--> statement-breakpoint
ALTER TABLE `constitutional_evaluations` ADD `scope` text DEFAULT 'span' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `constitutional_evaluations_trace_natural_idx` ON `constitutional_evaluations` (`tenant_id`,`trace_id`,`rule_id`,`rule_revision`) WHERE scope = 'trace';--> statement-breakpoint
CREATE UNIQUE INDEX `constitutional_evaluations_natural_idx` ON `constitutional_evaluations` (`tenant_id`,`trace_id`,`span_id`,`rule_id`,`rule_revision`,`scope`);