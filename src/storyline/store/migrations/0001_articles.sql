-- Sources, articles (with duplicate links), full-text index, embedding cache.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT UNIQUE,
    kind TEXT NOT NULL DEFAULT 'feed',
    lang TEXT,
    country TEXT,
    fetch_pages INTEGER NOT NULL DEFAULT 1,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_success TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT,
    canonical_url TEXT UNIQUE,
    external_key TEXT UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    published TEXT,
    lang TEXT,
    source TEXT,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    content_hash TEXT NOT NULL,
    duplicate_of INTEGER REFERENCES articles(id),
    duplicate_kind TEXT,
    fetched TEXT NOT NULL,
    event_id INTEGER,
    minhash BLOB,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_event ON articles(event_id);
CREATE INDEX articles_duplicate ON articles(duplicate_of);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TABLE embeddings (
    content_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (content_hash, model)
) WITHOUT ROWID;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    last_seen TEXT,
    article_count INTEGER NOT NULL DEFAULT 0,
    sources TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    representative_id INTEGER,
    storyline_id TEXT,
    state TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_last_seen ON events(last_seen);
CREATE INDEX events_storyline ON events(storyline_id);

-- Learned global state of stages (e.g. the clusterer's online IDF tables), as JSON.
CREATE TABLE stage_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
