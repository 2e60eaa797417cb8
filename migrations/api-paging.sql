-- Issue 19: the client API reads a page of statuses' tags from post_tags by
-- post (one query through this index) instead of scanning each body again.
CREATE INDEX post_tags_post ON post_tags (post_id);
