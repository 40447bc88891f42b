-- What a data portal harvesting a site's open data needs: the municipality's official code
-- (Finnish kuntanumero, Polish TERYT), the contact point of the data, and when the site's
-- published content last changed (Last-Modified, dct:modified).
ALTER TABLE sites
    ADD COLUMN official_code      text NOT NULL DEFAULT '' CHECK (official_code ~ '^[0-9A-Za-z]{0,16}$'),
    ADD COLUMN data_contact_email text NOT NULL DEFAULT '' CHECK (length(data_contact_email) <= 254),
    ADD COLUMN data_contact_url   text NOT NULL DEFAULT '' CHECK (length(data_contact_url) <= 2000);

-- The last change of each site's published content, kept by the triggers that announce
-- changes (020_notify_site.sql): every row change of a content table passes here.
CREATE TABLE site_changes (
    site_id    bigint PRIMARY KEY,
    changed_at timestamptz NOT NULL
);
INSERT INTO site_changes (site_id, changed_at) SELECT id, now() FROM sites;

CREATE OR REPLACE FUNCTION notify_site_changed(site bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A child row deleted with its parent finds no site: the parent's own trigger told.
    IF site IS NOT NULL THEN
        PERFORM pg_notify('twintowns_content', site::text);
        INSERT INTO site_changes (site_id, changed_at)
            SELECT site, now() WHERE EXISTS (SELECT 1 FROM sites WHERE id = site)
            ON CONFLICT (site_id) DO UPDATE SET changed_at = now();
    END IF;
END;
$$;
