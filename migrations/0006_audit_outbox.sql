CREATE TABLE `audit_outbox` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`row` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_outbox_tenant_id_pk_idx` ON `audit_outbox` (`tenant_id`,`pk`);