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
