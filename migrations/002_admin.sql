-- Staff accounts, sessions, sign-in throttling, the audit log, drafts, the trash and revisions.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    site_id       bigint REFERENCES sites (id) ON DELETE CASCADE,
    is_admin      boolean NOT NULL DEFAULT false,
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (is_admin OR site_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email ON users (email);

-- alexedwards/scs pgxstore: sessions live in the database so that any instance serves any request.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE sign_in_attempts (
    id        bigserial PRIMARY KEY,
    email     text NOT NULL,
    address   text NOT NULL,
    succeeded boolean NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    user_email text NOT NULL DEFAULT '',
    site_id    bigint REFERENCES sites (id) ON DELETE SET NULL,
    action     text NOT NULL,
    entity     text NOT NULL DEFAULT '',
    entity_id  bigint,
    detail     text NOT NULL DEFAULT '',
    address    text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- A city is public once published and until deleted (moved to the trash). draft holds saved,
-- unpublished changes: the whole entry as JSON, applied to the tables on publishing.
ALTER TABLE cities
    ADD COLUMN published_at timestamptz,
    ADD COLUMN deleted_at   timestamptz,
    ADD COLUMN draft        jsonb;
UPDATE cities SET published_at = created_at;

-- The hash of the source text a translation was last written or reviewed against: when the
-- source changes, the translation is out of date until a person reviews it.
ALTER TABLE city_texts ADD COLUMN reviewed_source_hash text NOT NULL DEFAULT '';

ALTER TABLE sites ADD COLUMN version integer NOT NULL DEFAULT 1;

-- Every save of an entry: who, when, and the whole entry as it was then.
CREATE TABLE revisions (
    id           bigserial PRIMARY KEY,
    site_id      bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    entity       text NOT NULL CHECK (entity IN ('city', 'site')),
    entity_id    bigint NOT NULL,
    version      integer NOT NULL,
    action       text NOT NULL,
    snapshot     jsonb NOT NULL,
    author_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    author_email text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revisions_entity ON revisions (entity, entity_id, id DESC);
