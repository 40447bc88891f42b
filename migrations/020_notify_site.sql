-- Content changes announce the site they touch, so that serving instances drop only that
-- site's pages. Row-level triggers find the site through the parent for child tables;
-- PostgreSQL folds identical notifications of one transaction into one. The payload is the
-- site id, or 0 for "everything" (TRUNCATE).
DROP TRIGGER sites_changed ON sites;
DROP TRIGGER site_texts_changed ON site_texts;
DROP TRIGGER cities_changed ON cities;
DROP TRIGGER city_texts_changed ON city_texts;
DROP TRIGGER city_links_changed ON city_links;
DROP TRIGGER city_attachments_changed ON city_attachments;
DROP TRIGGER city_attachment_titles_changed ON city_attachment_titles;
DROP FUNCTION notify_content_changed();

CREATE FUNCTION notify_site_changed(site bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A child row deleted with its parent finds no site: the parent's own trigger told.
    IF site IS NOT NULL THEN
        PERFORM pg_notify('twintowns_content', site::text);
    END IF;
END;
$$;

CREATE FUNCTION notify_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('twintowns_content', '0');
    RETURN NULL;
END;
$$;

-- content_site is the site of a row of a content table; via says how the table reaches it.
CREATE FUNCTION content_site(r jsonb, via text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE via
        WHEN 'self' THEN (r ->> 'id')::bigint
        WHEN 'site' THEN (r ->> 'site_id')::bigint
        WHEN 'city' THEN (SELECT site_id FROM cities WHERE id = (r ->> 'city_id')::bigint)
        WHEN 'attachment' THEN (SELECT c.site_id FROM city_attachments a JOIN cities c ON c.id = a.city_id
                                WHERE a.id = (r ->> 'attachment_id')::bigint)
    END
$$;

CREATE FUNCTION notify_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM notify_site_changed(content_site(to_jsonb(OLD), TG_ARGV[0]));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM notify_site_changed(content_site(to_jsonb(NEW), TG_ARGV[0]));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sites_changed AFTER INSERT OR UPDATE OR DELETE ON sites
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('self');
CREATE TRIGGER site_texts_changed AFTER INSERT OR UPDATE OR DELETE ON site_texts
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('site');
CREATE TRIGGER cities_changed AFTER INSERT OR UPDATE OR DELETE ON cities
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('site');
CREATE TRIGGER city_texts_changed AFTER INSERT OR UPDATE OR DELETE ON city_texts
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('city');
CREATE TRIGGER city_links_changed AFTER INSERT OR UPDATE OR DELETE ON city_links
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('city');
CREATE TRIGGER city_attachments_changed AFTER INSERT OR UPDATE OR DELETE ON city_attachments
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('city');
CREATE TRIGGER city_attachment_titles_changed AFTER INSERT OR UPDATE OR DELETE ON city_attachment_titles
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('attachment');

CREATE TRIGGER sites_truncated AFTER TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER site_texts_truncated AFTER TRUNCATE ON site_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER cities_truncated AFTER TRUNCATE ON cities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER city_texts_truncated AFTER TRUNCATE ON city_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER city_links_truncated AFTER TRUNCATE ON city_links
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER city_attachments_truncated AFTER TRUNCATE ON city_attachments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
CREATE TRIGGER city_attachment_titles_truncated AFTER TRUNCATE ON city_attachment_titles
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_changed();
