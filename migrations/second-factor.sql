-- Second factor (issue 15): TOTP secrets, recovery codes, and sessions
-- that still wait for the second factor.
CREATE TABLE totp_secrets (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    secret      BLOB    NOT NULL,
    enabled_at  INTEGER,
    last_step   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_mac  BLOB    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_mac)
) WITHOUT ROWID;
ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0;
