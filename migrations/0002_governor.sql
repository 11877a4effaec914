CREATE TABLE `constitutional_evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`rule_revision` integer NOT NULL,
	`rule_version` text NOT NULL,
	`rule_name` text NOT NULL,
	`policy_group` text NOT NULL,
	`severity` text NOT NULL,
	`agent` text NOT NULL,
	`span_type` text NOT NULL,
	`span_name` text NOT NULL,
	`outcome` text NOT NULL,
	`score` real,
	`measured` real,
	`limit_value` real,
	`explanation` text NOT NULL,
	`span_started_at` integer NOT NULL,
	`evaluated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `constitutional_evaluations_natural_idx` ON `constitutional_evaluations` (`tenant_id`,`trace_id`,`span_id`,`rule_id`,`rule_revision`);--> statement-breakpoint
CREATE INDEX `constitutional_evaluations_tenant_id_evaluated_at_idx` ON `constitutional_evaluations` (`tenant_id`,`evaluated_at`);--> statement-breakpoint
CREATE INDEX `constitutional_evaluations_tenant_id_outcome_evaluated_at_idx` ON `constitutional_evaluations` (`tenant_id`,`outcome`,`evaluated_at`);--> statement-breakpoint
CREATE INDEX `constitutional_evaluations_tenant_id_rule_id_evaluated_at_idx` ON `constitutional_evaluations` (`tenant_id`,`rule_id`,`evaluated_at`);--> statement-breakpoint
CREATE INDEX `constitutional_evaluations_tenant_id_span_started_at_idx` ON `constitutional_evaluations` (`tenant_id`,`span_started_at`);--> statement-breakpoint
CREATE TABLE `evaluation_counts` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`rule_id` text NOT NULL,
	`outcome` text NOT NULL,
	`rule_name` text NOT NULL,
	`policy_group` text NOT NULL,
	`severity` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `rule_id`, `outcome`)
);
--> statement-breakpoint
CREATE TABLE `governor_dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `governor_dead_letters_message_id_idx` ON `governor_dead_letters` (`message_id`);--> statement-breakpoint
CREATE INDEX `governor_dead_letters_tenant_id_created_at_idx` ON `governor_dead_letters` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `governor_processed` (
	`message_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `governor_processed_processed_at_idx` ON `governor_processed` (`processed_at`);--> statement-breakpoint
CREATE TABLE `rule_versions` (
	`tenant_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`revision` integer NOT NULL,
	`version` text NOT NULL,
	`definition` text NOT NULL,
	`source` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `rule_id`, `revision`)
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`version` text NOT NULL,
	`revision` integer NOT NULL,
	`target_span_type` text NOT NULL,
	`policy_group` text NOT NULL,
	`severity` text NOT NULL,
	`enabled` integer NOT NULL,
	`definition` text NOT NULL,
	`source` text NOT NULL,
	`source_format` text NOT NULL,
	`pack` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rules_tenant_id_name_idx` ON `rules` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `rules_tenant_id_enabled_idx` ON `rules` (`tenant_id`,`enabled`);--> statement-breakpoint
ALTER TABLE `spans` ADD `worst_outcome` text;--> statement-breakpoint
ALTER TABLE `traces` ADD `worst_outcome` text;--> statement-breakpoint
CREATE INDEX `traces_tenant_id_worst_outcome_started_at_idx` ON `traces` (`tenant_id`,`worst_outcome`,`started_at`);