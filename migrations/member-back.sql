-- Issue 18 (member back end), 7 -> 8: a sanction is an evidence kind
-- (R12.2), its running out is logged once, tier rules can match accounts
-- under (or just after) a 禁言; likes on comments, likers listed; earlier
-- versions of posts keep their media descriptions. The evidence table's
-- kind CHECK is widened by `db::widen_evidence_kinds`, run with this
-- migration (a CHECK cannot be altered in SQL).
ALTER TABLE sanctions ADD COLUMN expiry_logged_at INTEGER;
ALTER TABLE tier_rules ADD COLUMN muted_within_days INTEGER;
CREATE INDEX sanctions_expiry ON sanctions (ends_at) WHERE expiry_logged_at IS NULL AND lifted_at IS NULL;
-- Who liked a post, newest first; likes on comments.
CREATE INDEX likes_post_at ON likes (post_id, created_at, user_id);
CREATE TABLE comment_likes (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, comment_id)
) WITHOUT ROWID;
CREATE INDEX comment_likes_comment ON comment_likes (comment_id, user_id);
-- Earlier versions keep the media descriptions (alt text) too.
ALTER TABLE post_edits ADD COLUMN alts TEXT NOT NULL DEFAULT '[]';
