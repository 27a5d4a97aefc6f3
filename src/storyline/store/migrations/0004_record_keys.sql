-- Records imported from outside (GDELT exports) carry their origin's id, so that importing the
-- same file twice adds nothing. Records the coder writes have no key.
ALTER TABLE event_records ADD COLUMN external_key TEXT;
CREATE UNIQUE INDEX event_records_external_key ON event_records(external_key)
    WHERE external_key IS NOT NULL;
