-- What a data portal harvesting a site's open data needs: the municipality's official code
-- (Finnish kuntanumero, Polish TERYT), the contact point of the data, and when the site's
-- published content last changed (Last-Modified, dct:modified).
ALTER TABLE sites
    ADD COLUMN official_code      text NOT NULL DEFAULT '' CHECK (official_code ~ '^[0-9A-Za-z]{0,16}$'),
    ADD COLUMN data_contact_email text NOT NULL DEFAULT '' CHECK (length(data_contact_email) <= 254),
    ADD COLUMN data_contact_url   text NOT NULL DEFAULT '' CHECK (length(data_contact_url) <= 2000);

-- When each site's published content changed: one row per transaction that changed it,
-- appended by the triggers that announce changes (020_notify_site.sql), which every row
-- change of a content table passes through. Appending takes no lock that two editors of a
-- site could wait on in opposite orders; the last change is the greatest time.
CREATE TABLE site_changes (
    site_id    bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
CREATE INDEX site_changes_site ON site_changes (site_id, changed_at DESC);
INSERT INTO site_changes (site_id, changed_at) SELECT id, now() FROM sites;

CREATE OR REPLACE FUNCTION notify_site_changed(site bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    seen text := 'twintowns.site_changed_' || site;
BEGIN
    -- A child row deleted with its parent finds no site: the parent's own trigger told.
    IF site IS NOT NULL THEN
        PERFORM pg_notify('twintowns_content', site::text);
        -- once per transaction and site (a setting local to the transaction remembers)
        IF coalesce(current_setting(seen, true), '') = '' THEN
            INSERT INTO site_changes (site_id, changed_at) VALUES (site, clock_timestamp());
            PERFORM set_config(seen, '1', true);
        END IF;
    END IF;
END;
$$;
