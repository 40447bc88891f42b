-- Photos of cities (issue 17). A photo is an entry of the engine (type 'photo': its alt
-- texts and facts live where every declared type's do); these tables hold its place among
-- the city's photos and its files: the original as uploaded, and the variants made from it
-- once, turned upright and without metadata, for the public pages.
CREATE TABLE photos (
    type        text NOT NULL DEFAULT 'photo' CHECK (type = 'photo'),
    id          bigint PRIMARY KEY,
    site_id     bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    city_id     bigint NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    -- of the original: the variants' addresses carry it, so they can be cached for good
    fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
    media_type  text NOT NULL,
    size        integer NOT NULL CHECK (size > 0),
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (type, id) REFERENCES entries (type, id) ON DELETE CASCADE
);
CREATE INDEX photos_city ON photos (city_id, position);
CREATE INDEX photos_fingerprint ON photos (site_id, fingerprint);

CREATE TABLE photo_originals (
    photo_id bigint PRIMARY KEY REFERENCES photos (id) ON DELETE CASCADE,
    content  bytea NOT NULL
);

CREATE TABLE photo_variants (
    photo_id bigint NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    purpose  text NOT NULL CHECK (purpose IN ('page', 'share')),
    format   text NOT NULL CHECK (format IN ('webp', 'jpeg')),
    width    integer NOT NULL CHECK (width > 0),
    height   integer NOT NULL CHECK (height > 0),
    content  bytea NOT NULL,
    PRIMARY KEY (photo_id, purpose, format, width)
);

-- Compressed images do not compress again: store them as they are.
ALTER TABLE photo_originals ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE photo_variants ALTER COLUMN content SET STORAGE EXTERNAL;

-- A photo moved, added or replaced changes its city's page. The files change only with
-- their photo's row, which tells.
CREATE TRIGGER photos_changed AFTER INSERT OR UPDATE OR DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION notify_row_changed('site');
