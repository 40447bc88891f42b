-- National scale: thousands of sites in one database. Every read of one site's rows goes
-- through an index on the site, and share images are rendered once and kept here, for every
-- instance and over restarts.

CREATE INDEX entries_site ON entries (site_id, type);
CREATE INDEX published_texts_site ON published_texts (site_id, type);
CREATE INDEX audit_log_site ON audit_log (site_id, id DESC);
CREATE INDEX user_sites_site ON user_sites (site_id);

-- A share image (Open Graph, 1200x630 PNG) of an entry's public page in one language: the
-- site's home page (type 'site') or a city's page. inputs is a hash of everything the image
-- shows (title, credit, frame, markers): an image whose inputs changed is drawn again.
CREATE TABLE share_images (
    type       text NOT NULL,
    id         bigint NOT NULL,
    lang       text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
    site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    inputs     bytea NOT NULL,
    png        bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (type, id, lang),
    FOREIGN KEY (type, id) REFERENCES entries (type, id) ON DELETE CASCADE
);
CREATE INDEX share_images_site ON share_images (site_id);

-- An image goes with its entry: deleted with it (the foreign key), moved to the trash with
-- it, and dropped when what it shows changes: a city's name or place (its own image and its
-- site's home image, which shows every city) or the site's name. (A translation added in a new
-- language changes what the image of that language shows: its inputs tell.)
-- Triggers are PL/pgSQL throughout: an SQL function called from a trigger is planned again at
-- every call, a PL/pgSQL one once per session.
CREATE FUNCTION share_images_dropped() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'entries' THEN
        DELETE FROM share_images WHERE type = NEW.type AND id = NEW.id;
    WHEN 'cities' THEN
        DELETE FROM share_images WHERE type = 'city' AND id = OLD.id;
        DELETE FROM share_images WHERE type = 'site' AND id = OLD.site_id;
    WHEN 'city_texts' THEN
        DELETE FROM share_images WHERE type = 'city' AND id = OLD.city_id;
        DELETE FROM share_images WHERE type = 'site' AND id = (SELECT site_id FROM cities WHERE id = OLD.city_id);
    WHEN 'site_texts' THEN
        DELETE FROM share_images WHERE type = 'site' AND id = OLD.site_id;
    END CASE;
    RETURN NULL;
END $$;
CREATE TRIGGER entries_drop_share_images AFTER UPDATE OF deleted_at ON entries
    FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION share_images_dropped();
CREATE TRIGGER cities_drop_share_images AFTER UPDATE OR DELETE ON cities
    FOR EACH ROW EXECUTE FUNCTION share_images_dropped();
CREATE TRIGGER city_texts_drop_share_images AFTER UPDATE OR DELETE ON city_texts
    FOR EACH ROW EXECUTE FUNCTION share_images_dropped();
CREATE TRIGGER site_texts_drop_share_images AFTER UPDATE OR DELETE ON site_texts
    FOR EACH ROW EXECUTE FUNCTION share_images_dropped();

-- The change notifications of migrations/020_notify_site.sql, cheaper: the site of a row is
-- read from its columns, not from the whole row made JSON (a city's texts in every language),
-- in PL/pgSQL, whose plans are kept.
CREATE FUNCTION row_site(via text, r anyelement) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    site bigint;
BEGIN
    CASE via
    WHEN 'self' THEN site := r.id;
    WHEN 'site' THEN site := r.site_id;
    WHEN 'city' THEN SELECT c.site_id INTO site FROM cities c WHERE c.id = r.city_id;
    WHEN 'attachment' THEN
        SELECT c.site_id INTO site FROM city_attachments a JOIN cities c ON c.id = a.city_id
        WHERE a.id = r.attachment_id;
    END CASE;
    RETURN site;
END $$;

CREATE OR REPLACE FUNCTION notify_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM notify_site_changed(row_site(TG_ARGV[0], OLD));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM notify_site_changed(row_site(TG_ARGV[0], NEW));
    END IF;
    RETURN NULL;
END $$;
