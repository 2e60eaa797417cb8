-- Issue 18 (member back end), 7 -> 8: a sanction is an evidence kind
-- (R12.2), its running out is logged once, and tier rules can match
-- accounts under (or just after) a 禁言. The evidence table's kind CHECK
-- is widened by `db::widen_evidence_kinds`, run with this migration.
ALTER TABLE sanctions ADD COLUMN expiry_logged_at INTEGER;
ALTER TABLE tier_rules ADD COLUMN muted_within_days INTEGER;
CREATE INDEX sanctions_expiry ON sanctions (ends_at) WHERE expiry_logged_at IS NULL AND lifted_at IS NULL;
