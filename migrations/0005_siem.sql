ALTER TABLE `siem_endpoints` ADD `lease_token` text;--> statement-breakpoint
ALTER TABLE `siem_endpoints` ADD `lease_until` integer;