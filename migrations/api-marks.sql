-- Issue 19: whether the viewer boosted each post of a page (the client
-- API's `reblogged`) is one probe of this index per post, whatever the
-- length of the post's repost chain.
CREATE INDEX posts_reposts ON posts (repost_of, author_id) WHERE repost_of IS NOT NULL;
