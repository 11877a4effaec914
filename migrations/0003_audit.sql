CREATE TABLE `approval_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`action` text NOT NULL,
	`params` text NOT NULL,
	`summary` text NOT NULL,
	`reason` text,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` integer
);
--> statement-breakpoint
CREATE INDEX `approval_requests_tenant_status_idx` ON `approval_requests` (`tenant_id`,`status`,`requested_at`);--> statement-breakpoint
CREATE TABLE `audit_archives` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`object_key` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`event_count` integer NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`pruned_at` integer,
	PRIMARY KEY(`tenant_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `audit_event_targets` (
	`tenant_id` text NOT NULL,
	`target_id` text NOT NULL,
	`target_type` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `target_id`, `seq`, `target_type`)
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`seq` integer NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`crud` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text NOT NULL,
	`user_id` text,
	`channel` text NOT NULL,
	`outcome` text NOT NULL,
	`tool_name` text,
	`conversation_id` text,
	`risk_level` text NOT NULL,
	`trace_id` text,
	`body` text NOT NULL,
	`leaf_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_tenant_seq_idx` ON `audit_events` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_tenant_event_id_idx` ON `audit_events` (`tenant_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `audit_events_type_idx` ON `audit_events` (`tenant_id`,`event_type`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`tenant_id`,`actor_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_type_idx` ON `audit_events` (`tenant_id`,`actor_type`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_user_idx` ON `audit_events` (`tenant_id`,`user_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_tool_idx` ON `audit_events` (`tenant_id`,`tool_name`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_conversation_idx` ON `audit_events` (`tenant_id`,`conversation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_received_idx` ON `audit_events` (`tenant_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `audit_events_occurred_idx` ON `audit_events` (`tenant_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `audit_idempotency` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `audit_idempotency_created_idx` ON `audit_idempotency` (`created_at`);--> statement-breakpoint
CREATE TABLE `audit_prune_grants` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`through_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`retention_days` integer NOT NULL,
	`high_risk_types` text NOT NULL,
	`dual_approval_actions` text NOT NULL,
	`masking_patterns` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `siem_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`secret_cipher` text NOT NULL,
	`enabled` integer NOT NULL,
	`cursor_seq` integer NOT NULL,
	`delivered_count` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_attempt_at` integer,
	`last_success_at` integer,
	`last_status` integer,
	`last_error` text,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `siem_endpoints_tenant_idx` ON `siem_endpoints` (`tenant_id`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `deleted_at` integer;