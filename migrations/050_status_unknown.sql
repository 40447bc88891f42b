-- A partnership's status can be "unknown": the sources of some sites do not say whether a
-- partnership is active, and the site then shows no status. A new city has no recorded status
-- until someone sets one.
ALTER TABLE cities DROP CONSTRAINT cities_status_check;
ALTER TABLE cities ADD CONSTRAINT cities_status_check
    CHECK (status IN ('unknown', 'active', 'suspended', 'ended'));
ALTER TABLE cities ALTER COLUMN status SET DEFAULT 'unknown';
