-- Tracked storylines: an analyst's definition (actors, terms, automatic storylines to take
-- events from) under an id t1, t2, ... that is also a row of `storylines`, so every face that
-- takes a storyline id shows it. Its events keep their automatic storyline: the tracked
-- storyline links them here, with a score and reasons like storyline_links.
CREATE TABLE tracked_storylines (
    id TEXT PRIMARY KEY REFERENCES storylines(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    actors TEXT NOT NULL DEFAULT '[]',           -- JSON list of actor ids (RUS, BLR.GOV, ...)
    terms TEXT NOT NULL DEFAULT '[]',            -- JSON list of word prefixes, any language
    from_storylines TEXT NOT NULL DEFAULT '[]',  -- JSON list of automatic storyline ids
    created TEXT NOT NULL
);

CREATE TABLE tracked_links (
    tracked_id TEXT NOT NULL REFERENCES tracked_storylines(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '{}',
    linked TEXT NOT NULL,
    PRIMARY KEY (tracked_id, event_id)
);
CREATE INDEX tracked_links_event ON tracked_links(event_id);
