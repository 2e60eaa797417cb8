-- Issue 13 (staff flows): an appeal decided where no independent reviewer
-- existed says so on its record (R15.1, R6.5); the staff dashboard counts
-- by day with indexes on the times it groups by (R6.6, R14.2).
ALTER TABLE appeals ADD COLUMN no_independent_reviewer INTEGER NOT NULL DEFAULT 0;
CREATE INDEX posts_created ON posts (created_at);
CREATE INDEX comments_created ON comments (created_at);
CREATE INDEX users_created ON users (created_at);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX complaints_due ON complaints (due_at);
CREATE INDEX complaints_decided ON complaints (decided_at) WHERE decided_at IS NOT NULL;
