-- Issue 11: the search index merges its segments in bigger, rarer steps.
-- FTS5's defaults (automerge 4, crisismerge 16) make every post's
-- transaction do incremental merge work under the write lock; at 16 and 64
-- posting ran 1.45-1.7 x faster in alternating runs on 1 M posts, and
-- queries read at most 16 segments a level.
INSERT INTO post_search(post_search, rank) VALUES('automerge', 16);
INSERT INTO post_search(post_search, rank) VALUES('crisismerge', 64);
