-- Issue 18 (member features): blocks and mutes between accounts and
-- personal muted words; read by every listing, so each is keyed for the
-- lookups the listings make.
CREATE TABLE blocks (
    blocker_id  INTEGER NOT NULL REFERENCES users(id),
    blocked_id  INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
CREATE TABLE mutes (
    muter_id    INTEGER NOT NULL REFERENCES users(id),
    muted_id    INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
) WITHOUT ROWID;
CREATE TABLE muted_words (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    word        TEXT    NOT NULL,
    word_key    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (user_id, word_key)
);
-- Staff sanctions on an account: `mute` (禁言, no publishing) or `suspend`
-- (封禁, no login, its content hidden everywhere) until `ends_at`, unless
-- lifted earlier; read-time checks compare `ends_at` with the clock.
CREATE TABLE sanctions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('mute', 'suspend')),
    reason      TEXT    NOT NULL,
    ends_at     INTEGER NOT NULL,
    decided_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    lifted_at   INTEGER,
    lifted_by   INTEGER REFERENCES users(id)
);
CREATE INDEX sanctions_user ON sanctions (user_id, id);
CREATE INDEX sanctions_live ON sanctions (kind, ends_at) WHERE lifted_at IS NULL;
-- R12.2: every earlier version of an edited post, kept as evidence: the
-- text it had until `replaced_at`, and who replaced it.
CREATE TABLE post_edits (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES posts(id),
    body         TEXT    NOT NULL,
    replaced_at  INTEGER NOT NULL,
    editor_id    INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX post_edits_post ON post_edits (post_id, id);
CREATE TRIGGER post_edits_no_update BEFORE UPDATE ON post_edits
BEGIN SELECT RAISE(ABORT, 'earlier versions of posts cannot be changed (R12.2)'); END;
CREATE TRIGGER post_edits_no_delete BEFORE DELETE ON post_edits
WHEN old.replaced_at > CAST(strftime('%s', 'now') AS INTEGER) - 180 * 86400
BEGIN SELECT RAISE(ABORT, 'earlier versions of posts younger than 180 days cannot be deleted (R12.2)'); END;
-- Bookmarks (收藏, private to the member) and one pinned post per profile.
CREATE TABLE bookmarks (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) WITHOUT ROWID;
CREATE INDEX bookmarks_user ON bookmarks (user_id, created_at);
CREATE TABLE pins (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id),
    post_id    INTEGER NOT NULL REFERENCES posts(id),
    pinned_at  INTEGER NOT NULL
);
