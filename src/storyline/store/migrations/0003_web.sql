-- Web face: API tokens (hashes only), watches and the alerts they produced.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL UNIQUE,          -- sha256 hex of the token; the token itself is never stored
    created TEXT NOT NULL,
    last_used TEXT,
    revoked TEXT
);

-- A watch on a storyline, an actor, an actor pair ("RUS|BLR") or a saved full-text query.
CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('storyline', 'actor', 'pair', 'query')),
    target TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    webhook_url TEXT,
    cooldown_s INTEGER NOT NULL DEFAULT 3600,
    created TEXT NOT NULL,
    last_checked TEXT,
    last_alert TEXT,
    state TEXT NOT NULL DEFAULT '{}'    -- cursors: last brief version, record id, article id
);

-- One alert per new development per watch; "key" deduplicates, delivery is retried.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    created TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    link TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    delivered TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (watch_id, key)
);
CREATE INDEX alerts_created ON alerts(created);
CREATE INDEX alerts_pending ON alerts(delivered, watch_id);
