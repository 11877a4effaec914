-- Full-text index over trace names, inputs and outputs. External content (no copy of the text);
-- tenant_id is an indexed column so every search is scoped with a `tenant_id:"…"` phrase.
CREATE VIRTUAL TABLE `traces_fts` USING fts5(
  tenant_id, name, input, output,
  content='traces', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `traces_fts_ai` AFTER INSERT ON `traces` BEGIN
  INSERT INTO traces_fts(rowid, tenant_id, name, input, output)
  VALUES (new.pk, new.tenant_id, new.name, new.input, new.output);
END;
--> statement-breakpoint
CREATE TRIGGER `traces_fts_ad` AFTER DELETE ON `traces` BEGIN
  INSERT INTO traces_fts(traces_fts, rowid, tenant_id, name, input, output)
  VALUES ('delete', old.pk, old.tenant_id, old.name, old.input, old.output);
END;
--> statement-breakpoint
CREATE TRIGGER `traces_fts_au` AFTER UPDATE OF name, input, output ON `traces` BEGIN
  INSERT INTO traces_fts(traces_fts, rowid, tenant_id, name, input, output)
  VALUES ('delete', old.pk, old.tenant_id, old.name, old.input, old.output);
  INSERT INTO traces_fts(rowid, tenant_id, name, input, output)
  VALUES (new.pk, new.tenant_id, new.name, new.input, new.output);
END;
