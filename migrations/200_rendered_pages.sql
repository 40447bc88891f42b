-- Rendered pages, shared by every instance and kept over restarts (issue 19): a country's
-- pages do not all fit in one server's memory, and rendering one takes a read of its site's
-- content and milliseconds of work, where reading it back from here takes a lookup. Each
-- instance keeps the pages it serves most in memory (the page cache) and reads the others
-- from here; a page is rendered once per change of its site, whichever instance asks first.
--
-- A site's version is the number of committed transactions that changed its content: its
-- rows in site_changes (141_site_open_data.sql), one per such transaction, so it grows in the
-- order of commits and takes no lock editors could wait on. A page is stored with the version
-- read before the content it was rendered from (so the content is at least as new), and read
-- back only at the version its instance knows for the site, which it reads again when told of a
-- change (NOTIFY): a page rendered from content an edit changed meanwhile is never served, and
-- an edit retires its site's pages for every instance at once.
--
-- build names the program that rendered the pages: another build may render them otherwise.
CREATE TABLE rendered_pages (
    site_id      bigint NOT NULL REFERENCES sites ON DELETE CASCADE,
    build        text NOT NULL,
    tls          boolean NOT NULL,
    port         integer NOT NULL,
    path         text NOT NULL,
    version      bigint NOT NULL,
    tag          text NOT NULL,         -- the hash its ETags derive from
    gzip         bytea NOT NULL,        -- the page, gzip-compressed
    content_type text NOT NULL,
    content_lang text NOT NULL,
    modified     timestamptz,           -- Last-Modified, for documents that know it
    stored_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, build, tls, port, path)
);
-- Kept in the row (read with it) unless the row would not fit in a page.
ALTER TABLE rendered_pages ALTER COLUMN gzip SET STORAGE MAIN;

CREATE FUNCTION site_version(site bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM site_changes WHERE site_id = site
$$;

-- TRUNCATE of a content table changes every site.
CREATE OR REPLACE FUNCTION notify_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('twintowns_content', '0');
    INSERT INTO site_changes (site_id, changed_at) SELECT id, clock_timestamp() FROM sites;
    RETURN NULL;
END;
$$;
