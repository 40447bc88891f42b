-- Sites (municipalities), their twin towns and partner cities, and the translations of both.
-- Language-neutral facts live in the main tables; texts live in *_texts keyed by (entity, lang).

CREATE TABLE sites (
    id             bigserial PRIMARY KEY,
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    hosts          text[] NOT NULL DEFAULT '{}',
    is_default     boolean NOT NULL DEFAULT false,
    default_lang   text NOT NULL CHECK (default_lang IN ('sv', 'it', 'pl', 'fi')),
    source_lang    text NOT NULL CHECK (source_lang IN ('sv', 'it', 'pl', 'fi')),
    required_langs text[] NOT NULL DEFAULT '{}',
    country        text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sites_one_default ON sites (is_default) WHERE is_default;

CREATE TABLE site_texts (
    site_id         bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    lang            text NOT NULL CHECK (lang IN ('sv', 'it', 'pl', 'fi')),
    name            text NOT NULL,
    intro           text NOT NULL DEFAULT '',
    partners_intro  text NOT NULL DEFAULT '',
    history_title   text NOT NULL DEFAULT '',
    history         text NOT NULL DEFAULT '',
    events_title    text NOT NULL DEFAULT '',
    events          text NOT NULL DEFAULT '',
    translated_from text NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, lang)
);

CREATE TABLE cities (
    id                   bigserial PRIMARY KEY,
    site_id              bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug                 text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    kind                 text NOT NULL CHECK (kind IN ('twin', 'partner')),
    country              text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    population           bigint CHECK (population > 0),
    population_year      integer,
    population_approx    boolean NOT NULL DEFAULT false,
    population_scale     text NOT NULL DEFAULT 'units' CHECK (population_scale IN ('units', 'millions')),
    population_area      boolean NOT NULL DEFAULT false,
    agreement_precision  text NOT NULL DEFAULT 'unknown'
                         CHECK (agreement_precision IN ('day', 'year', 'over_years', 'unknown')),
    agreement_date       date,
    agreement_year       integer,
    agreement_over_years integer,
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'ended')),
    status_since         date,
    status_until         date,
    latitude             double precision,
    longitude            double precision,
    wikidata_id          text NOT NULL DEFAULT '',
    position             integer NOT NULL DEFAULT 0,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, slug)
);

CREATE TABLE city_texts (
    city_id         bigint NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    lang            text NOT NULL CHECK (lang IN ('sv', 'it', 'pl', 'fi')),
    name            text NOT NULL,
    full_name       text NOT NULL DEFAULT '',
    summary         text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    aims            text NOT NULL DEFAULT '',
    association     text NOT NULL DEFAULT '',
    translated_from text NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (city_id, lang)
);

CREATE TABLE city_links (
    id       bigserial PRIMARY KEY,
    city_id  bigint NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    kind     text NOT NULL CHECK (kind IN ('wikipedia', 'official', 'association', 'other')),
    lang     text NOT NULL DEFAULT '',
    url      text NOT NULL CHECK (url ~ '^https?://'),
    label    text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0
);
CREATE INDEX city_links_city ON city_links (city_id);

-- Attachments such as the text of an agreement. content is NULL while only the record
-- of the document exists (the demo sources name the documents but do not hold them).
CREATE TABLE city_attachments (
    id         bigserial PRIMARY KEY,
    city_id    bigint NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    slug       text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    kind       text NOT NULL DEFAULT 'agreement' CHECK (kind IN ('agreement', 'image', 'other')),
    format     text NOT NULL,
    media_type text NOT NULL,
    size       bigint,
    content    bytea,
    position   integer NOT NULL DEFAULT 0,
    UNIQUE (city_id, slug)
);

CREATE TABLE city_attachment_titles (
    attachment_id bigint NOT NULL REFERENCES city_attachments (id) ON DELETE CASCADE,
    lang          text NOT NULL CHECK (lang IN ('sv', 'it', 'pl', 'fi')),
    title         text NOT NULL,
    PRIMARY KEY (attachment_id, lang)
);

-- Every change to content tells the serving instances to drop their page caches.
CREATE FUNCTION notify_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('twintowns_content', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER sites_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER site_texts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER cities_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER city_texts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON city_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER city_links_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON city_links
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER city_attachments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON city_attachments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER city_attachment_titles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON city_attachment_titles
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
