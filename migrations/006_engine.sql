-- One content engine: the lifecycle of every translatable entry (version, draft) lives in one
-- table, apart from the published content, so that saving a draft changes nothing public.
-- Languages are data: no constraint lists them; a site's languages are a setting.

ALTER TABLE sites DROP CONSTRAINT IF EXISTS sites_default_lang_check;
ALTER TABLE sites DROP CONSTRAINT IF EXISTS sites_source_lang_check;
ALTER TABLE site_texts DROP CONSTRAINT IF EXISTS site_texts_lang_check;
ALTER TABLE city_texts DROP CONSTRAINT IF EXISTS city_texts_lang_check;
ALTER TABLE city_attachment_titles DROP CONSTRAINT IF EXISTS city_attachment_titles_lang_check;
ALTER TABLE sites ADD CONSTRAINT sites_default_lang_code CHECK (default_lang ~ '^[a-z]{2,3}$');
ALTER TABLE sites ADD CONSTRAINT sites_source_lang_code CHECK (source_lang ~ '^[a-z]{2,3}$');
ALTER TABLE site_texts ADD CONSTRAINT site_texts_lang_code CHECK (lang ~ '^[a-z]{2,3}$');
ALTER TABLE city_texts ADD CONSTRAINT city_texts_lang_code CHECK (lang ~ '^[a-z]{2,3}$');
ALTER TABLE city_attachment_titles ADD CONSTRAINT city_attachment_titles_lang_code CHECK (lang ~ '^[a-z]{2,3}$');

-- The languages a site publishes, in the order of its language switcher.
ALTER TABLE sites ADD COLUMN languages text[] NOT NULL DEFAULT '{}';
UPDATE sites SET languages = ARRAY(
    SELECT l FROM unnest(ARRAY['sv', 'it', 'pl', 'fi']) l
    WHERE l = default_lang OR l = source_lang OR l = ANY (required_langs)
       OR EXISTS (SELECT 1 FROM site_texts t WHERE t.site_id = sites.id AND t.lang = l));

-- Per field, the hash of the source field a translation was last written or checked against.
ALTER TABLE city_texts ADD COLUMN reviewed jsonb NOT NULL DEFAULT '{}';
ALTER TABLE site_texts ADD COLUMN reviewed jsonb NOT NULL DEFAULT '{}';
ALTER TABLE city_attachment_titles
    ADD COLUMN translated_from text NOT NULL DEFAULT '',
    ADD COLUMN reviewed text NOT NULL DEFAULT '';

-- Translations that were up to date with their source as a whole are up to date field by
-- field; the others stay out of date until a person checks them.
CREATE FUNCTION pg_temp.field_hash(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT encode(substr(sha256(convert_to(s, 'UTF8')), 1, 12), 'hex') $$;
CREATE FUNCTION pg_temp.text_hash(VARIADIC f text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(substr(sha256(convert_to(string_agg(octet_length(x) || ':' || x || ';', '' ORDER BY i), 'UTF8')), 1, 12), 'hex')
    FROM unnest(f) WITH ORDINALITY AS u(x, i) $$;
UPDATE city_texts t SET reviewed = (
    SELECT coalesce(jsonb_object_agg(k, pg_temp.field_hash(v)), '{}')
    FROM jsonb_each_text(jsonb_build_object('name', s.name, 'full_name', s.full_name, 'summary', s.summary,
        'description', s.description, 'aims', s.aims, 'association', s.association)) AS e(k, v)
    WHERE v <> '')
FROM city_texts s
WHERE s.city_id = t.city_id AND s.lang = t.translated_from
  AND t.reviewed_source_hash = pg_temp.text_hash(s.name, s.full_name, s.summary, s.description, s.aims, s.association);
ALTER TABLE city_texts DROP COLUMN reviewed_source_hash;
-- Site texts had no review marks: take them as checked now.
UPDATE site_texts t SET reviewed = (
    SELECT coalesce(jsonb_object_agg(k, pg_temp.field_hash(v)), '{}')
    FROM jsonb_each_text(jsonb_build_object('name', s.name, 'intro', s.intro, 'partners_intro', s.partners_intro,
        'history_title', s.history_title, 'history', s.history, 'events_title', s.events_title, 'events', s.events)) AS e(k, v)
    WHERE v <> '')
FROM site_texts s
WHERE s.site_id = t.site_id AND s.lang = t.translated_from;

-- The lifecycle of every entry, whatever its type: the version an edit starts from, and the
-- saved draft (a snapshot in the store's versioned format, see postgres/snapshot.go).
CREATE TABLE entries (
    type    text NOT NULL,
    id      bigint NOT NULL,
    site_id bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    version integer NOT NULL DEFAULT 1,
    draft   jsonb,
    PRIMARY KEY (type, id)
);
INSERT INTO entries (type, id, site_id, version, draft) SELECT 'city', id, site_id, version, draft FROM cities;
INSERT INTO entries (type, id, site_id, version, draft) SELECT 'site', id, id, version, draft FROM sites;
INSERT INTO entries (type, id, site_id)
    SELECT 'document', a.id, c.site_id FROM city_attachments a JOIN cities c ON c.id = a.city_id;
ALTER TABLE cities DROP COLUMN version, DROP COLUMN draft;
ALTER TABLE sites DROP COLUMN version, DROP COLUMN draft;

ALTER TABLE revisions DROP CONSTRAINT IF EXISTS revisions_entity_check;
