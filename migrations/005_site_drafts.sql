-- A site's texts can be saved as a draft, like cities: the whole site as JSON, applied on
-- publishing.
ALTER TABLE sites ADD COLUMN draft jsonb;
