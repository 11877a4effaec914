CREATE TABLE `alert_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`secret_cipher` text NOT NULL,
	`target_hint` text NOT NULL,
	`min_severity` text NOT NULL,
	`enabled` integer NOT NULL,
	`last_status` integer,
	`last_error` text,
	`last_attempt_at` integer,
	`last_success_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_channels_tenant_idx` ON `alert_channels` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`event_id` text NOT NULL,
	`notice_key` text NOT NULL,
	`action` text NOT NULL,
	`notice` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_deliveries_channel_notice_idx` ON `alert_deliveries` (`channel_id`,`notice_key`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_tenant_channel_created_idx` ON `alert_deliveries` (`tenant_id`,`channel_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_tenant_event_idx` ON `alert_deliveries` (`tenant_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_pending_idx` ON `alert_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `alert_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`detector` text NOT NULL,
	`capability` text,
	`window` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`observed` real NOT NULL,
	`expected` real,
	`delta_pct` real,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`summary` text NOT NULL,
	`link` text NOT NULL,
	`dedup_key` text NOT NULL,
	`fired_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`resolved_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`notifications` integer DEFAULT 0 NOT NULL,
	`last_notified_at` integer,
	`notified_severity` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_open_idx` ON `alert_events` (`tenant_id`,`dedup_key`) WHERE state = 'firing';--> statement-breakpoint
CREATE INDEX `alert_events_tenant_fired_idx` ON `alert_events` (`tenant_id`,`fired_at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`tenant_id` text NOT NULL,
	`detector` text NOT NULL,
	`enabled` integer NOT NULL,
	`config` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `detector`)
);
--> statement-breakpoint
CREATE TABLE `analytics_capabilities` (
	`tenant_id` text NOT NULL,
	`capability` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`folded_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `capability`)
);
--> statement-breakpoint
CREATE TABLE `analytics_days` (
	`tenant_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`capability` text NOT NULL,
	`provider` text NOT NULL,
	`interactions` integer NOT NULL,
	`errors` integer NOT NULL,
	`latency_count` integer NOT NULL,
	`latency_sum` integer NOT NULL,
	`latency_bins` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`workspaces` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `bucket`, `capability`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `analytics_facts` (
	`tenant_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`capability` text NOT NULL,
	`provider` text NOT NULL,
	`workspace` text NOT NULL,
	`error` integer NOT NULL,
	`latency_ms` integer,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`prompt_chars` integer,
	`source_updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `trace_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_facts_tenant_started_idx` ON `analytics_facts` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `analytics_facts_tenant_workspace_started_idx` ON `analytics_facts` (`tenant_id`,`workspace`,`started_at`);--> statement-breakpoint
CREATE TABLE `analytics_hours` (
	`tenant_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`capability` text NOT NULL,
	`provider` text NOT NULL,
	`interactions` integer NOT NULL,
	`errors` integer NOT NULL,
	`latency_count` integer NOT NULL,
	`latency_sum` integer NOT NULL,
	`latency_bins` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	PRIMARY KEY(`tenant_id`, `bucket`, `capability`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `analytics_presence` (
	`tenant_id` text NOT NULL,
	`day` integer NOT NULL,
	`workspace` text NOT NULL,
	`capability` text NOT NULL,
	`provider` text NOT NULL,
	`interactions` integer NOT NULL,
	`errors` integer NOT NULL,
	`cost_usd` real NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `workspace`, `capability`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `analytics_sync` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`cursor_at` integer NOT NULL,
	`cursor_pk` integer NOT NULL,
	`rows_folded` integer NOT NULL,
	`last_rows` integer NOT NULL,
	`last_duration_ms` real NOT NULL,
	`last_rows_read` integer DEFAULT 0 NOT NULL,
	`last_rows_written` integer DEFAULT 0 NOT NULL,
	`last_folded_at` integer NOT NULL,
	`newest_source_at` integer,
	`backfill_at` integer,
	`backfill_from` integer,
	`detected_at` integer,
	`lease_token` text,
	`lease_until` integer
);
--> statement-breakpoint
CREATE TABLE `analytics_workspace_days` (
	`tenant_id` text NOT NULL,
	`day` integer NOT NULL,
	`workspace` text NOT NULL,
	`interactions` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`capabilities` integer NOT NULL,
	`last_interaction_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `workspace`)
);
--> statement-breakpoint
CREATE INDEX `traces_tenant_id_updated_at_idx` ON `traces` (`tenant_id`,`updated_at`);