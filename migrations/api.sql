-- Issue 19: the Mastodon-compatible client API. Registered apps, one-time
-- authorization codes and bearer tokens (only their SHA-256 is stored, like
-- sessions), and the read markers clients keep.
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
CREATE TABLE oauth_codes (
    code_hash     BLOB    PRIMARY KEY,
    app_id        INTEGER NOT NULL REFERENCES oauth_apps(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    redirect_uri  TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    challenge     TEXT,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE oauth_tokens (
    token_hash    BLOB    PRIMARY KEY,
    app_id        INTEGER NOT NULL REFERENCES oauth_apps(id),
    user_id       INTEGER REFERENCES users(id),
    scopes        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id, app_id);
CREATE TABLE api_markers (
    user_id       INTEGER NOT NULL REFERENCES users(id),
    timeline      TEXT    NOT NULL,
    last_read_id  INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, timeline)
) WITHOUT ROWID;
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
DROP VIEW media_refs;
CREATE VIEW media_refs AS
    SELECT sha256 FROM attachments
    UNION SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 IS NOT NULL
    UNION SELECT sha256 FROM verification_proofs
    UNION SELECT sha256 FROM evidence_media
    UNION SELECT sha256 FROM complaint_media
    UNION SELECT file_sha256 FROM security_assessments WHERE file_sha256 IS NOT NULL
    UNION SELECT sha256 FROM api_media
    UNION SELECT thumb_sha256 FROM api_media WHERE thumb_sha256 IS NOT NULL;
