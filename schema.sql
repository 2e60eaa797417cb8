-- Plaza: the full schema of a new database (PRAGMA user_version = 1).
-- Upgrades are numbered migrations in src/db/migrations.rs; this file is
-- always the result of applying all of them to an empty database.
-- Times are UTC unix seconds (INTEGER) everywhere.

-- Members and staff. R6.1: the accepted agreement version and its time.
CREATE TABLE users (
    id                     INTEGER PRIMARY KEY,
    username               TEXT    NOT NULL,
    username_key           TEXT    NOT NULL UNIQUE,      -- lower-cased username: uniqueness is case-insensitive
    password_hash          TEXT    NOT NULL,             -- bcrypt
    display_name           TEXT    NOT NULL DEFAULT '',
    bio                    TEXT    NOT NULL DEFAULT '',
    subject_type           TEXT    NOT NULL DEFAULT 'individual'
        CHECK (subject_type IN ('individual', 'organisation', 'government', 'media', 'foreign_org')),
    status                 TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    agreement_version      INTEGER NOT NULL,
    agreement_accepted_at  INTEGER NOT NULL,
    avatar_id              INTEGER REFERENCES attachments(id),  -- R2.3: the current avatar, if any
    created_at             INTEGER NOT NULL,
    closed_at              INTEGER                       -- R7.6: the member closed the account
);
CREATE INDEX users_created ON users (created_at);   -- the staff dashboard's new members

-- R6.5: roles are separated; an account may hold several. `member` is implied.
CREATE TABLE user_roles (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT    NOT NULL CHECK (role IN ('reviewer', 'chief_editor', 'admin')),
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Login sessions: only the SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash  BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- Absolute expiry for a member; staff sessions end sooner (config).
    expires_at  INTEGER NOT NULL,
    -- Last request (updated at most once a minute): idle expiry; and the
    -- address and user agent it came from, for /settings/sessions.
    last_seen_at INTEGER NOT NULL DEFAULT 0,
    ip          TEXT    NOT NULL DEFAULT '',
    user_agent  TEXT    NOT NULL DEFAULT '',
    -- Signed in with the password; the second factor still to come (issue 15).
    second_factor_pending INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Second factor (issue 15): an RFC 6238 secret per account, sealed with
-- the identity key; on once enabled_at is set. last_step: the newest time
-- step accepted, so a code is never accepted twice.
CREATE TABLE totp_secrets (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    secret      BLOB    NOT NULL,
    enabled_at  INTEGER,
    last_step   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

-- Single-use recovery codes of a second factor, as keyed hashes.
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_mac  BLOB    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_mac)
) WITHOUT ROWID;

-- One-time URL that creates the first admin; dead once used.
CREATE TABLE setup_tokens (
    token_hash  BLOB    PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    used_at     INTEGER
) WITHOUT ROWID;

-- R2.1
CREATE TABLE follows (
    follower_id  INTEGER NOT NULL REFERENCES users(id),
    followee_id  INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_followee ON follows (followee_id, follower_id);

-- Issue 18: a block hides two accounts from each other (posts, comments,
-- mentions, follows, notifications); a mute takes an account's posts out of
-- the muter's timelines only; muted words (normalised as keyword rules,
-- `word_key`) take matching posts out of timelines and notifications.
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

-- Issue 18: staff sanctions on an account: `mute` (禁言, no publishing) or
-- `suspend` (封禁, no login, its content hidden everywhere) until `ends_at`
-- unless lifted earlier; read-time checks compare `ends_at` with the clock.
CREATE TABLE sanctions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('mute', 'suspend')),
    reason      TEXT    NOT NULL,
    ends_at     INTEGER NOT NULL,
    decided_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    lifted_at   INTEGER,
    lifted_by   INTEGER REFERENCES users(id),
    -- When the upkeep task logged that it ran out (issue 18); NULL before.
    expiry_logged_at INTEGER
);
CREATE INDEX sanctions_user ON sanctions (user_id, id);
CREATE INDEX sanctions_live ON sanctions (kind, ends_at) WHERE lifted_at IS NULL;
CREATE INDEX sanctions_expiry ON sanctions (ends_at) WHERE expiry_logged_at IS NULL AND lifted_at IS NULL;

-- Issue 18, R12.2: every earlier version of an edited post, kept as
-- evidence: the text it had until `replaced_at`, and who replaced it.
CREATE TABLE post_edits (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES posts(id),
    body         TEXT    NOT NULL,
    replaced_at  INTEGER NOT NULL,
    editor_id    INTEGER NOT NULL REFERENCES users(id),
    -- The descriptions (alt text) its media had until then, by position,
    -- as a JSON array of strings (issue 18).
    alts         TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX post_edits_post ON post_edits (post_id, id);
CREATE TRIGGER post_edits_no_update BEFORE UPDATE ON post_edits
BEGIN SELECT RAISE(ABORT, 'earlier versions of posts cannot be changed (R12.2)'); END;
CREATE TRIGGER post_edits_no_delete BEFORE DELETE ON post_edits
WHEN old.replaced_at > CAST(strftime('%s', 'now') AS INTEGER) - 180 * 86400
BEGIN SELECT RAISE(ABORT, 'earlier versions of posts younger than 180 days cannot be deleted (R12.2)'); END;

-- Issue 18: bookmarks (收藏, private to the member) and one pinned post per profile.
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

-- R2.2, R2.3. A repost is a post whose repost_of is the post it shares and
-- repost_root the original at the start of the chain.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES users(id),
    body           TEXT    NOT NULL,
    visibility     TEXT    NOT NULL CHECK (visibility IN ('public', 'followers', 'self')),
    repost_of      INTEGER REFERENCES posts(id),
    repost_root    INTEGER REFERENCES posts(id),
    status         TEXT    NOT NULL DEFAULT 'published'   -- R6.2: pending (held for review), rejected
        CHECK (status IN ('published', 'pending', 'rejected', 'deleted', 'removed')),
    created_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    comment_count  INTEGER NOT NULL DEFAULT 0,
    repost_count   INTEGER NOT NULL DEFAULT 0,
    like_count     INTEGER NOT NULL DEFAULT 0,
    -- R10.3: who may comment: open | followers (of the author) | closed.
    comment_mode   TEXT    NOT NULL DEFAULT 'open' CHECK (comment_mode IN ('open', 'followers', 'closed')),
    tier_rule      INTEGER                               -- R9.1: tier_rules.id that applied when it was sent
);
CREATE INDEX posts_author ON posts (author_id, id);
CREATE INDEX posts_public ON posts (id) WHERE status = 'published' AND visibility = 'public';
CREATE INDEX posts_repost_root ON posts (repost_root) WHERE repost_root IS NOT NULL;
-- Issue 19: whether the viewer boosted a post (the client API's `reblogged`).
CREATE INDEX posts_reposts ON posts (repost_of, author_id) WHERE repost_of IS NOT NULL;
CREATE INDEX posts_created ON posts (created_at);

-- R2.2: images and video of posts, and avatars. The file is
-- DATA/media/<first two hex digits>/<sha256>, written once and shared by
-- every row naming the same bytes. An author deleting a post deletes its rows
-- (the files go when nothing else names them); staff removal keeps them.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    post_id       INTEGER REFERENCES posts(id),          -- NULL for an avatar
    purpose       TEXT    NOT NULL CHECK (purpose IN ('post', 'avatar')),
    position      INTEGER NOT NULL DEFAULT 0,             -- order within the post
    kind          TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    mime          TEXT    NOT NULL,                       -- from the magic bytes, never the client
    size          INTEGER NOT NULL,                       -- bytes of the stored file
    width         INTEGER,                                -- upright pixels; NULL for video
    height        INTEGER,
    frames        INTEGER NOT NULL DEFAULT 1,             -- more than 1: animated
    alt           TEXT    NOT NULL DEFAULT '',
    sha256        TEXT    NOT NULL,                       -- lower-case hex: the file's name
    thumb_sha256  TEXT,                                   -- NULL: the image is small enough to be its own
    thumb_mime    TEXT,
    created_at    INTEGER NOT NULL,
    CHECK ((purpose = 'post') = (post_id IS NOT NULL))
);
CREATE INDEX attachments_post ON attachments (post_id, position) WHERE post_id IS NOT NULL;
CREATE INDEX attachments_sha256 ON attachments (sha256);
CREATE INDEX attachments_thumb ON attachments (thumb_sha256) WHERE thumb_sha256 IS NOT NULL;
CREATE INDEX attachments_owner ON attachments (owner_id);

-- Every media file something still needs; `plaza media gc` removes the
-- others. A feature that must keep files (evidence records, R12.2) adds a
-- UNION of its own hashes here.
CREATE VIEW media_refs AS
    SELECT sha256 FROM attachments
    UNION SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 IS NOT NULL
    UNION SELECT sha256 FROM verification_proofs
    UNION SELECT sha256 FROM evidence_media
    UNION SELECT sha256 FROM complaint_media
    UNION SELECT file_sha256 FROM security_assessments WHERE file_sha256 IS NOT NULL
    UNION SELECT sha256 FROM api_media
    UNION SELECT thumb_sha256 FROM api_media WHERE thumb_sha256 IS NOT NULL;

-- Hashtags of a post, by lower-cased tag.
CREATE TABLE post_tags (
    tag      TEXT    NOT NULL,
    post_id  INTEGER NOT NULL REFERENCES posts(id),
    PRIMARY KEY (tag, post_id)
) WITHOUT ROWID;
-- Issue 19: a post's tags by post (an edit rewrites them; a member's erasure deletes them).
CREATE INDEX post_tags_post ON post_tags (post_id);

-- R2.3: comments under a post, optionally replying to another comment.
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    author_id   INTEGER NOT NULL REFERENCES users(id),
    reply_to    INTEGER REFERENCES comments(id),
    body        TEXT    NOT NULL,
    -- hidden: the post's author hid it (R10.3); only the two of them see it.
    status      TEXT    NOT NULL DEFAULT 'published'
        CHECK (status IN ('published', 'pending', 'rejected', 'deleted', 'removed', 'hidden')),
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER,
    tier_rule   INTEGER                                   -- R9.1: tier_rules.id that applied
);
CREATE INDEX comments_post ON comments (post_id, id);
CREATE INDEX comments_created ON comments (created_at);

CREATE TABLE likes (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) WITHOUT ROWID;
CREATE INDEX likes_post ON likes (post_id, user_id);
-- Issue 18: who liked a post, newest first, paged by (created_at, user_id).
CREATE INDEX likes_post_at ON likes (post_id, created_at, user_id);

-- Issue 18: likes on comments (R2.3), counted when a page shows them.
CREATE TABLE comment_likes (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, comment_id)
) WITHOUT ROWID;
CREATE INDEX comment_likes_comment ON comment_likes (comment_id, user_id);

-- kind: follow | comment | reply | repost | like | mention, and from staff
-- (R6.2, R12.2, R11.1): rejected | removed | rumour | rumour_withdrawn,
-- whose `detail` holds the reason or the refutation.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    kind        TEXT    NOT NULL,
    actor_id    INTEGER NOT NULL REFERENCES users(id),
    post_id     INTEGER REFERENCES posts(id),
    comment_id  INTEGER REFERENCES comments(id),
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Site settings (R4.1 licence numbers, site name). Keys are listed in src/db/settings.rs.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- R6.1: every published version of the service agreement and platform rules,
-- so what a member accepted can always be shown.
CREATE TABLE agreements (
    version         INTEGER PRIMARY KEY,
    agreement_text  TEXT    NOT NULL,
    rules_text      TEXT    NOT NULL,
    published_at    INTEGER NOT NULL,
    published_by    INTEGER REFERENCES users(id)
);

-- R16.1-R16.3: append-only activity log; each row's hash is the HMAC-SHA256 of
-- its content and the previous row's hash (src/domain/audit.rs).
CREATE TABLE activity_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    account_id  INTEGER,
    ip          TEXT    NOT NULL,
    port        INTEGER NOT NULL,
    user_agent  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    prev_hash   BLOB    NOT NULL,
    hash        BLOB    NOT NULL
);
CREATE INDEX activity_log_account ON activity_log (account_id, id);
CREATE INDEX activity_log_action ON activity_log (action, id);
CREATE INDEX activity_log_ip ON activity_log (ip, id);
CREATE INDEX activity_log_at ON activity_log (at);
CREATE TRIGGER activity_log_no_update BEFORE UPDATE ON activity_log
BEGIN SELECT RAISE(ABORT, 'activity log is append-only (R16.2)'); END;
CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON activity_log
WHEN old.at > CAST(strftime('%s', 'now') AS INTEGER) - 180 * 86400
BEGIN SELECT RAISE(ABORT, 'activity log entries younger than 180 days cannot be deleted (R16.2)'); END;

-- R16.2, R16.3: where the chain starts after pruning. One row: the last
-- pruned entry's id and hash, under an HMAC (src/domain/audit.rs), so that
-- verify still works from here and a forged start is caught.
CREATE TABLE activity_log_checkpoint (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    INTEGER NOT NULL,
    last_hash  BLOB    NOT NULL,
    pruned_at  INTEGER NOT NULL,
    mac        BLOB    NOT NULL
);

-- R7.6: a member's download of their own data, built in the background
-- into DATA/exports/FILE_NAME; deleted after a week.
CREATE TABLE data_exports (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
    file_name    TEXT,
    bytes        INTEGER,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER
);
CREATE INDEX data_exports_user ON data_exports (user_id, id);

-- ---------------------------------------------------------------------------
-- Content governance (R6.2-R6.6, R11.1, R12.1-R12.3)
-- ---------------------------------------------------------------------------

-- R12.1: keyword rules. Matching happens in the server on the normalised
-- text (src/domain/keywords.rs); the compiled matcher is cached and rebuilt
-- when `governance.version` moves, which these triggers make it do.
CREATE TABLE keyword_rules (
    id          INTEGER PRIMARY KEY,
    pattern     TEXT    NOT NULL,
    category    TEXT    NOT NULL DEFAULT 'custom',
    action      TEXT    NOT NULL CHECK (action IN ('block', 'review', 'flag')),
    created_by  INTEGER REFERENCES users(id),           -- NULL: a command
    created_at  INTEGER NOT NULL
);

-- One row: what every request checks cheaply. `version` moves on any change
-- to the keyword rules or the emergency switches, so every worker and every
-- process sees a change at its next request. R6.4: the emergency switches.
CREATE TABLE governance (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    version          INTEGER NOT NULL DEFAULT 1,
    hold_all         INTEGER NOT NULL DEFAULT 0,    -- every new post, comment, repost waits for review
    stop_reposts     INTEGER NOT NULL DEFAULT 0,
    stop_publishing  INTEGER NOT NULL DEFAULT 0,    -- no new posts, comments or reposts at all
    banner           TEXT    NOT NULL DEFAULT '',   -- shown on every page when not empty
    changed_at       INTEGER,
    changed_by       INTEGER REFERENCES users(id)
);
INSERT INTO governance (id) VALUES (1);
CREATE TRIGGER keyword_rules_insert AFTER INSERT ON keyword_rules
BEGIN UPDATE governance SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER keyword_rules_update AFTER UPDATE ON keyword_rules
BEGIN UPDATE governance SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER keyword_rules_delete AFTER DELETE ON keyword_rules
BEGIN UPDATE governance SET version = version + 1 WHERE id = 1; END;

-- R6.2: what staff must look at. `hold` items keep their content pending
-- until decided; `flag` items were published and are listed for a look.
-- cause: keyword (rule_*), emergency (hold_all), tier (R9.1, not yet used).
-- A profile item (display name and bio) carries the held change in
-- `proposed` (JSON) and applies it on approval.
CREATE TABLE review_items (
    id             INTEGER PRIMARY KEY,
    content_type   TEXT    NOT NULL CHECK (content_type IN ('post', 'comment', 'profile')),
    content_id     INTEGER NOT NULL,                  -- posts.id, comments.id or users.id
    author_id      INTEGER NOT NULL REFERENCES users(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('hold', 'flag')),
    cause          TEXT    NOT NULL CHECK (cause IN ('keyword', 'emergency', 'tier')),
    rule_id        INTEGER,                           -- keyword_rules.id (the rule may be gone since)
    rule_pattern   TEXT,
    rule_category  TEXT,
    proposed       TEXT,
    created_at     INTEGER NOT NULL,
    decision       TEXT    CHECK (decision IN ('approved', 'rejected', 'dismissed', 'removed', 'withdrawn')),
    decided_by     INTEGER REFERENCES users(id),
    decided_at     INTEGER,
    reason         TEXT
);
CREATE INDEX review_items_open ON review_items (kind, id) WHERE decision IS NULL;
CREATE INDEX review_items_content ON review_items (content_type, content_id);

-- R12.2, R12.3: evidence of every removal, rejection, keyword block and
-- author deletion: what the content was, who wrote it from where, who or
-- what decided, and why. `sha256` is the SHA-256 of the record's canonical
-- JSON (src/db/evidence.rs), fixed when it is written. Rows can never
-- change, and cannot be deleted for 180 days; their media files are kept
-- alive through `media_refs`.
CREATE TABLE evidence (
    id                  INTEGER PRIMARY KEY,
    recorded_at         INTEGER NOT NULL,
    kind                TEXT    NOT NULL
        CHECK (kind IN ('removal', 'rejection', 'block', 'author_delete', 'sanction')),
    content_type        TEXT    NOT NULL CHECK (content_type IN ('post', 'repost', 'comment', 'profile')),
    content_id          INTEGER,                      -- NULL for a refused (blocked) text
    content_created_at  INTEGER,
    parent              TEXT    NOT NULL DEFAULT '',  -- 'post:12': a comment's post, a repost's original
    author_id           INTEGER NOT NULL REFERENCES users(id),
    author_username     TEXT    NOT NULL,
    body                TEXT    NOT NULL,
    source_ip           TEXT    NOT NULL,             -- where the content was sent from ('' if unknown)
    source_port         INTEGER NOT NULL,
    rule_id             INTEGER,
    rule_pattern        TEXT,
    decider_id          INTEGER REFERENCES users(id), -- NULL: a keyword rule decided
    decider_username    TEXT,
    category            TEXT    NOT NULL DEFAULT '',
    reason              TEXT    NOT NULL DEFAULT '',
    sha256              TEXT    NOT NULL
);
CREATE INDEX evidence_at ON evidence (recorded_at);
CREATE INDEX evidence_author ON evidence (author_id, id);
CREATE INDEX evidence_content ON evidence (content_type, content_id);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence records cannot be changed (R12.2)'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
WHEN old.recorded_at > CAST(strftime('%s', 'now') AS INTEGER) - 180 * 86400
BEGIN SELECT RAISE(ABORT, 'evidence records younger than 180 days cannot be deleted (R12.2)'); END;

-- The images and video of an evidence record, by file hash.
CREATE TABLE evidence_media (
    evidence_id  INTEGER NOT NULL REFERENCES evidence(id),
    position     INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    mime         TEXT    NOT NULL,
    PRIMARY KEY (evidence_id, position)
) WITHOUT ROWID;
CREATE INDEX evidence_media_sha256 ON evidence_media (sha256);
CREATE TRIGGER evidence_media_no_update BEFORE UPDATE ON evidence_media
BEGIN SELECT RAISE(ABORT, 'evidence records cannot be changed (R12.2)'); END;
CREATE TRIGGER evidence_media_no_delete BEFORE DELETE ON evidence_media
WHEN (SELECT recorded_at FROM evidence WHERE id = old.evidence_id)
     > CAST(strftime('%s', 'now') AS INTEGER) - 180 * 86400
BEGIN SELECT RAISE(ABORT, 'evidence records younger than 180 days cannot be deleted (R12.2)'); END;

-- R11.1: 不实信息 labels. A reviewer proposes one on an original post (the
-- root of its repost chain); the chief editor confirms or declines it, and
-- may withdraw a confirmed one. At most one live label a post.
CREATE TABLE rumour_labels (
    id                INTEGER PRIMARY KEY,
    post_id           INTEGER NOT NULL REFERENCES posts(id),
    refutation        TEXT    NOT NULL,
    refuting_post_id  INTEGER REFERENCES posts(id),
    status            TEXT    NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'confirmed', 'declined', 'withdrawn')),
    proposed_by       INTEGER NOT NULL REFERENCES users(id),
    proposed_at       INTEGER NOT NULL,
    decided_by        INTEGER REFERENCES users(id),
    decided_at        INTEGER,
    withdrawn_by      INTEGER REFERENCES users(id),
    withdrawn_at      INTEGER
);
CREATE UNIQUE INDEX rumour_labels_live ON rumour_labels (post_id) WHERE status IN ('proposed', 'confirmed');
CREATE INDEX rumour_labels_status ON rumour_labels (status, id);
-- R7.1-R7.5: the real identity behind an account (后台实名). One row per
-- account. Values are AES-256-GCM sealed under a key derived from plaza.key
-- (src/crypto.rs), bound to the account and field; *_mac columns are keyed
-- HMACs of the normalised values for uniqueness checks without decrypting;
-- *_masked columns are what pages show (R7.4). Nothing here is in clear.
-- Kept after the account closes for log_retention_days, then deleted.
CREATE TABLE identities (
    user_id              INTEGER PRIMARY KEY REFERENCES users(id),
    subject_type         TEXT    NOT NULL
        CHECK (subject_type IN ('individual', 'organisation', 'government', 'media', 'foreign_org')),
    legal_name_enc       BLOB    NOT NULL,
    legal_name_masked    TEXT    NOT NULL,
    number_kind          TEXT    NOT NULL CHECK (number_kind IN ('id_number', 'credit_code', 'org_code')),
    number_enc           BLOB    NOT NULL,
    number_mac           BLOB    NOT NULL,
    number_masked        TEXT    NOT NULL,
    mobile_enc           BLOB    NOT NULL,
    mobile_mac           BLOB    NOT NULL,
    mobile_masked        TEXT    NOT NULL,
    -- Province-level region from the number's region digits (R10.2); NULL for national registration.
    province             TEXT,
    -- 'expired' is never stored: a verified identity past next_check_at is expired (R7.3).
    status               TEXT    NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified', 'pending', 'verified')),
    mobile_confirmed_at  INTEGER,
    verified_at          INTEGER,
    verified_by          INTEGER REFERENCES users(id),             -- staff who confirmed; NULL otherwise
    verified_via         TEXT    CHECK (verified_via IN ('admin', 'webhook', 'organisation', 'mobile')),
    next_check_at        INTEGER,                                  -- R7.3
    full_recheck         INTEGER NOT NULL DEFAULT 0,               -- staff asked for more than a mobile code
    -- A credit or organisation code that fails its own check, accepted by hand (recorded).
    check_failed         INTEGER NOT NULL DEFAULT 0,
    override_by          INTEGER REFERENCES users(id),
    override_at          INTEGER,
    note                 TEXT    NOT NULL DEFAULT '',             -- why staff or the webhook refused, shown to the member
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX identities_number ON identities (number_mac);
CREATE INDEX identities_status ON identities (status, updated_at);

-- R7.1: the live one-time code of an account (one at a time). Only a keyed
-- hash of the code is kept.
CREATE TABLE identity_codes (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    code_mac    BLOB    NOT NULL,
    mobile_mac  BLOB    NOT NULL,
    sent_at     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 0
);

-- Every code sent, for the resend throttle (per account and per number).
CREATE TABLE sms_sends (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    mobile_mac  BLOB    NOT NULL,
    sent_at     INTEGER NOT NULL
);
CREATE INDEX sms_sends_user ON sms_sends (user_id, sent_at);
CREATE INDEX sms_sends_mobile ON sms_sends (mobile_mac, sent_at);

-- R7.4: every reveal of an identity value by staff: who, when, whose, which, why.
CREATE TABLE identity_reveals (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id),   -- whose
    staff_id  INTEGER NOT NULL REFERENCES users(id),   -- who
    field     TEXT    NOT NULL CHECK (field IN ('legal_name', 'number', 'mobile')),
    reason    TEXT    NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX identity_reveals_user ON identity_reveals (user_id, id);

-- R8.1, R10.1: applications for a verified badge (前台实名, voluntary).
-- At most one approved per account; the badge shows its subject type.
CREATE TABLE verifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    subject_type    TEXT    NOT NULL
        CHECK (subject_type IN ('individual', 'organisation', 'government', 'media', 'foreign_org')),
    certified_name  TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
    reason          TEXT    NOT NULL DEFAULT '',     -- of a rejection or revocation
    applied_at      INTEGER NOT NULL,
    decided_at      INTEGER,
    decided_by      INTEGER REFERENCES users(id),
    revoked_at      INTEGER,
    revoked_by      INTEGER REFERENCES users(id)
);
CREATE INDEX verifications_user ON verifications (user_id, id);
CREATE INDEX verifications_status ON verifications (status, id);
CREATE UNIQUE INDEX verifications_one_badge ON verifications (user_id) WHERE status = 'approved';

-- R8.1: proof documents of an application, in the media store but never
-- served by /media: only to the applicant and reviewers.
CREATE TABLE verification_proofs (
    id               INTEGER PRIMARY KEY,
    verification_id  INTEGER NOT NULL REFERENCES verifications(id),
    sha256           TEXT    NOT NULL,
    mime             TEXT    NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
    size             INTEGER NOT NULL,
    file_name        TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX verification_proofs_app ON verification_proofs (verification_id);

-- One-time links that set the password of an account made by
-- `plaza user import` (only the SHA-256 of the token is kept).
CREATE TABLE password_tokens (
    token_hash  BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX password_tokens_user ON password_tokens (user_id);

-- ---------------------------------------------------------------------------
-- Complaints (R14.1, R14.2), credit (R15.1), tiers (R9.1, R9.2)
-- ---------------------------------------------------------------------------

-- R14.1, R14.2: a complaint about a post, comment or account, or about
-- nothing in particular. `tracking` is what the complainant keeps; the
-- status page is /complaints/{tracking}. `due_at` comes from the
-- category's SLA (config `complaint_categories`).
CREATE TABLE complaints (
    id              INTEGER PRIMARY KEY,
    tracking        TEXT    NOT NULL UNIQUE,
    category        TEXT    NOT NULL,
    target_type     TEXT    NOT NULL CHECK (target_type IN ('post', 'comment', 'user', 'none')),
    target_id       INTEGER,
    body            TEXT    NOT NULL,
    contact         TEXT    NOT NULL DEFAULT '',          -- required without an account
    complainant_id  INTEGER REFERENCES users(id),
    source_ip       TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'resolved', 'rejected')),
    due_at          INTEGER NOT NULL,
    assigned_to     INTEGER REFERENCES users(id),
    resolution      TEXT    NOT NULL DEFAULT '',          -- what the complainant is told
    decided_by      INTEGER REFERENCES users(id),
    decided_at      INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX complaints_open ON complaints (due_at) WHERE status IN ('open', 'in_progress');
CREATE INDEX complaints_target ON complaints (target_type, target_id);
CREATE INDEX complaints_ip ON complaints (source_ip, created_at);
-- The staff dashboard's counts by day (R6.6, R14.2).
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX complaints_due ON complaints (due_at);
CREATE INDEX complaints_decided ON complaints (decided_at) WHERE decided_at IS NOT NULL;

-- R14.2: evidence images sent with a complaint (re-encoded like post
-- images), served only to staff.
CREATE TABLE complaint_media (
    complaint_id  INTEGER NOT NULL REFERENCES complaints(id),
    position      INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    PRIMARY KEY (complaint_id, position)
) WITHOUT ROWID;

-- R15.1: credit events; a score is credit_start plus the sum of deltas
-- (kept within 0..credit_max). source: removal | complaint | rumour |
-- good_behaviour | staff | appeal. `ref` names what caused it ('post:12').
-- An appeal that is upheld adds the opposite event and sets `reversed_by`.
CREATE TABLE credit_events (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    delta        INTEGER NOT NULL,
    source       TEXT    NOT NULL
        CHECK (source IN ('removal', 'complaint', 'rumour', 'good_behaviour', 'staff', 'appeal')),
    reason       TEXT    NOT NULL DEFAULT '',
    ref          TEXT    NOT NULL DEFAULT '',
    actor_id     INTEGER REFERENCES users(id),            -- NULL: the daily task
    created_at   INTEGER NOT NULL,
    reversed_by  INTEGER REFERENCES credit_events(id)
);
CREATE INDEX credit_events_user ON credit_events (user_id, id);

-- R15.1: one appeal per credit event (a removal's appeal is against its
-- event); decided by a reviewer other than the event's actor.
CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL UNIQUE REFERENCES credit_events(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    body        TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
    answer      TEXT    NOT NULL DEFAULT '',
    decided_by  INTEGER REFERENCES users(id),
    decided_at  INTEGER,
    created_at  INTEGER NOT NULL,
    -- 1: decided by the chief editor or admin on a site where no reviewer
    -- other than the one who decided the event existed (R6.5).
    no_independent_reviewer INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appeals_open ON appeals (id) WHERE status = 'open';

-- R9.1, R9.2: tier rules, tried in `position` order; the first that matches
-- the author (subject type, follower count, credit level) and the content
-- kind applies. Empty text / NULL means "any". `in_emergency`: the rule
-- matches only while an emergency switch is on (R6.4).
CREATE TABLE tier_rules (
    id                INTEGER PRIMARY KEY,
    position          INTEGER NOT NULL,
    subject_type      TEXT    NOT NULL DEFAULT '',
    min_followers     INTEGER NOT NULL DEFAULT 0,
    max_followers     INTEGER,
    credit_level      TEXT    NOT NULL DEFAULT '',
    content_kind      TEXT    NOT NULL DEFAULT ''
        CHECK (content_kind IN ('', 'text', 'image', 'video', 'repost', 'comment')),
    in_emergency      INTEGER NOT NULL DEFAULT 0,
    daily_quota       INTEGER,                            -- NULL: no limit
    pre_review        INTEGER NOT NULL DEFAULT 0,
    media_allowed     INTEGER NOT NULL DEFAULT 1,
    reposts_allowed   INTEGER NOT NULL DEFAULT 1,
    comments_allowed  INTEGER NOT NULL DEFAULT 1,
    note              TEXT    NOT NULL DEFAULT '',
    -- Issue 18: matches only accounts under a 禁言 (mute) now or within
    -- this many days (a probation after it); NULL: any account.
    muted_within_days INTEGER
);
INSERT INTO tier_rules (position, credit_level, daily_quota, pre_review, media_allowed, reposts_allowed, note)
    VALUES (10, 'restricted', 5, 1, 0, 0, '信用受限账号：先审后发，每日 5 条，不可发图片视频或转发');
INSERT INTO tier_rules (position, credit_level, daily_quota, note)
    VALUES (20, 'poor', 20, '信用较差账号：每日 20 条');
INSERT INTO tier_rules (position, min_followers, content_kind, in_emergency, pre_review, note)
    VALUES (30, 10000, 'repost', 1, 1, '粉丝逾一万的账号：应急状态下转发先审后发');
INSERT INTO tier_rules (position, note) VALUES (1000, '默认：不限');

-- R13.1: features with public-opinion or mobilisation attributes (reposts,
-- trending topics, polls, live) are switched on only once a security
-- assessment is on record. Records are kept, never edited.
CREATE TABLE security_assessments (
    id           INTEGER PRIMARY KEY,
    feature      TEXT    NOT NULL,
    assessed_on  TEXT    NOT NULL,                 -- YYYY-MM-DD, the assessment's date
    reference    TEXT    NOT NULL,                 -- report or filing reference number
    assessor     TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    file_sha256  TEXT,                             -- the report (PDF, JPEG or PNG) in media/, staff only
    file_mime    TEXT,
    recorded_at  INTEGER NOT NULL,
    recorded_by  INTEGER REFERENCES users(id)      -- NULL: the command line
);
CREATE INDEX security_assessments_feature ON security_assessments (feature, id);
CREATE TRIGGER security_assessments_no_update BEFORE UPDATE ON security_assessments
BEGIN SELECT RAISE(ABORT, 'security assessment records are kept as recorded (R13.1)'); END;

CREATE TABLE features (
    feature     TEXT    PRIMARY KEY,
    enabled     INTEGER NOT NULL DEFAULT 0,
    changed_at  INTEGER NOT NULL,
    changed_by  INTEGER REFERENCES users(id)
) WITHOUT ROWID;

-- Issue 17: the post search index (R12.2). Plaza writes the text itself
-- (domain::search: folded CJK bigrams and words in `bi`, single CJK
-- characters in `uni`), so FTS5's plain tokenizer answers one- and
-- two-character Chinese queries. Every post with text has a row (rowid =
-- post id); status and visibility are applied by joining `posts` when
-- searching, exactly as timelines do, so removal, deletion, holding and
-- restoring change what is found in the same transaction. Text erased
-- (an account closed, R7.6) leaves the index with it.
CREATE VIRTUAL TABLE post_search USING fts5(bi, uni, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 0');
-- Segments merge in bigger, rarer steps than FTS5's defaults (issue 11:
-- the merge work runs in each post's transaction, under the write lock).
INSERT INTO post_search(post_search, rank) VALUES('automerge', 16);
INSERT INTO post_search(post_search, rank) VALUES('crisismerge', 64);
CREATE TRIGGER post_search_erase AFTER UPDATE OF body ON posts
BEGIN DELETE FROM post_search WHERE rowid = old.id; END;
CREATE TRIGGER post_search_gone AFTER DELETE ON posts
BEGIN DELETE FROM post_search WHERE rowid = old.id; END;

-- Issue 17, R13.1: tags staff took off the trending list, with the reason.
CREATE TABLE trending_hidden (
    tag        TEXT    PRIMARY KEY,                  -- tag key (lower case)
    reason     TEXT    NOT NULL,
    hidden_by  INTEGER REFERENCES users(id),
    hidden_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Issue 19: the Mastodon-compatible client API. Registered apps: the
-- client secret is kept as its SHA-256; redirect URIs one per line, scopes
-- space-separated.
CREATE TABLE oauth_apps (
    id            INTEGER PRIMARY KEY,
    client_id     TEXT    NOT NULL UNIQUE,
    secret_hash   BLOB    NOT NULL,
    name          TEXT    NOT NULL,
    website       TEXT    NOT NULL DEFAULT '',
    redirect_uris TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
-- One-time authorization codes (SHA-256), with the PKCE S256 challenge the
-- app sent, if any; good for 10 minutes.
CREATE TABLE oauth_codes (
    code_hash     BLOB    PRIMARY KEY,
    app_id        INTEGER NOT NULL REFERENCES oauth_apps(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    redirect_uri  TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    challenge     TEXT,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
-- Bearer tokens (SHA-256, like sessions): a member's (authorization code)
-- or the app's own (client_credentials, user_id NULL).
CREATE TABLE oauth_tokens (
    token_hash    BLOB    PRIMARY KEY,
    app_id        INTEGER NOT NULL REFERENCES oauth_apps(id),
    user_id       INTEGER REFERENCES users(id),
    scopes        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id, app_id);
-- Where a member stopped reading, per timeline ('home', 'notifications').
CREATE TABLE api_markers (
    user_id       INTEGER NOT NULL REFERENCES users(id),
    timeline      TEXT    NOT NULL,
    last_read_id  INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, timeline)
) WITHOUT ROWID;
-- Images and videos an app uploaded (`POST /api/v2/media`): checked,
-- cleaned and stored like a post's at once, attached to the post that names
-- them (`post_id`, then an `attachments` row like any other); kept alive
-- for `plaza media gc` through `media_refs`.
CREATE TABLE api_media (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    kind          TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    mime          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    width         INTEGER,
    height        INTEGER,
    frames        INTEGER NOT NULL DEFAULT 1,
    alt           TEXT    NOT NULL DEFAULT '',
    sha256        TEXT    NOT NULL,
    thumb_sha256  TEXT,
    thumb_mime    TEXT,
    created_at    INTEGER NOT NULL,
    post_id       INTEGER REFERENCES posts(id)
);
CREATE INDEX api_media_owner ON api_media (owner_id, id);
