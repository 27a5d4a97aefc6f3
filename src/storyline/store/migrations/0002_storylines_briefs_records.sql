-- Storylines (events linked into long-running stories), brief versions, coded event records.
CREATE TABLE storylines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    lifecycle TEXT NOT NULL DEFAULT 'breaking',
    momentum REAL NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT,
    event_count INTEGER NOT NULL DEFAULT 0,
    article_count INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX storylines_momentum ON storylines(momentum DESC);

-- Why an event belongs to its storyline: relatedness score and reasons (JSON).
CREATE TABLE storyline_links (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    storyline_id TEXT NOT NULL REFERENCES storylines(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '{}',
    linked TEXT NOT NULL
);
CREATE INDEX storyline_links_storyline ON storyline_links(storyline_id);

CREATE TABLE brief_versions (
    storyline_id TEXT NOT NULL REFERENCES storylines(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    body TEXT NOT NULL,
    event_ids TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (storyline_id, version)
);

CREATE TABLE event_records (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    event_id INTEGER,
    source_actor TEXT NOT NULL,
    event_type TEXT NOT NULL,
    target_actor TEXT,
    intensity REAL NOT NULL,
    date TEXT,
    sentence TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX event_records_source ON event_records(source_actor, date);
CREATE INDEX event_records_target ON event_records(target_actor, date);
CREATE INDEX event_records_article ON event_records(article_id);
CREATE INDEX event_records_event ON event_records(event_id);

-- Which originals the event coder has read (0 = not yet).
ALTER TABLE articles ADD COLUMN coded INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_uncoded ON articles(coded, event_id);
