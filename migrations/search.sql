-- Issue 17: the post search index (R12.2) and hidden trending tags (R13.1).
-- See schema.sql. The index rows for
-- posts that exist already are written by `db::migrate` from Rust
-- (`db::search::rebuild`), since the indexed text is made by Plaza.
CREATE VIRTUAL TABLE post_search USING fts5(bi, uni, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 0');
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
