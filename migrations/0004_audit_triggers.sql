-- The audit log is append-only in the database too: no UPDATE ever, and DELETE only for rows a
-- retention run has been granted (audit_prune_grants, written in the same batch as the delete,
-- only after the archive in R2 was re-read and verified).
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events` BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
WHEN NOT EXISTS (
  SELECT 1 FROM audit_prune_grants g WHERE g.tenant_id = old.tenant_id AND old.seq <= g.through_seq
) BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only; only the retention job may prune archived events');
END;
--> statement-breakpoint
-- Full-text index over what people search the log for. Contentless (the text lives in body);
-- tenant_id is an indexed column so every search is scoped with a `tenant_id:"…"` phrase.
CREATE VIRTUAL TABLE `audit_events_fts` USING fts5(
  tenant_id, text,
  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `audit_events_ai` AFTER INSERT ON `audit_events` BEGIN
  INSERT INTO audit_events_fts(rowid, tenant_id, text) VALUES (
    new.pk, new.tenant_id,
    concat_ws(' ', new.event_type, new.actor_id, json_extract(new.body, '$.actor.display'),
      json_extract(new.body, '$.reason'), new.tool_name, new.conversation_id,
      json_extract(new.body, '$.ai.prompt'), json_extract(new.body, '$.error.message'),
      (SELECT group_concat(concat_ws(' ', json_extract(value, '$.type'), json_extract(value, '$.id'),
         json_extract(value, '$.name')), ' ') FROM json_each(new.body, '$.target')))
  );
  INSERT OR IGNORE INTO audit_event_targets(tenant_id, target_id, target_type, seq)
    SELECT new.tenant_id, json_extract(value, '$.id'), json_extract(value, '$.type'), new.seq
    FROM json_each(new.body, '$.target');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_ad` AFTER DELETE ON `audit_events` BEGIN
  DELETE FROM audit_events_fts WHERE rowid = old.pk;
  DELETE FROM audit_event_targets WHERE tenant_id = old.tenant_id AND seq = old.seq;
END;
