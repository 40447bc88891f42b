-- Translation jobs: every export to an agency is one. A job remembers, per unit, the source
-- and the target it was made from, so that an import applies only what the file changes and
-- notices what changed in the product since (a conflict, never a silent overwrite).
CREATE TABLE translation_jobs (
    id            bigserial PRIMARY KEY,
    site_id       bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    source_lang   text NOT NULL CHECK (source_lang ~ '^[a-z]{2,3}$'),
    target_lang   text NOT NULL CHECK (target_lang ~ '^[a-z]{2,3}$'),
    scope         text NOT NULL,
    format        text NOT NULL CHECK (format IN ('xlf', 'po')),
    sent_to       text NOT NULL DEFAULT '',
    due_date      date,
    status        text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'returned', 'imported', 'cancelled')),
    file_name     text NOT NULL,
    file          bytea NOT NULL CHECK (octet_length(file) <= 8388608),
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_email text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX translation_jobs_site ON translation_jobs (site_id, created_at DESC);

-- The units of a job: the field (unit id "city/12/description"), the source and target as
-- exported ('' for no target), how far the target was then, and the words of the source.
CREATE TABLE translation_job_units (
    job_id  bigint NOT NULL REFERENCES translation_jobs (id) ON DELETE CASCADE,
    unit_id text NOT NULL,
    source  text NOT NULL,
    target  text NOT NULL,
    state   text NOT NULL CHECK (state IN ('new', 'outdated', 'translated')),
    words   integer NOT NULL CHECK (words >= 0),
    PRIMARY KEY (job_id, unit_id)
);
CREATE INDEX translation_job_units_unit ON translation_job_units (unit_id);

-- An uploaded exchange file between its preview and its confirmation: kept here, not in the
-- form, so confirm never re-posts the file and any instance can confirm. Only the hash of the
-- random token is stored; the row belongs to one person and site and expires. plan is what the
-- preview showed per unit (hashes of the product's target and source), for confirm to re-check.
CREATE TABLE exchange_uploads (
    token_hash bytea PRIMARY KEY,
    site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    job_id     bigint REFERENCES translation_jobs (id) ON DELETE SET NULL,
    name       text NOT NULL,
    data       bytea NOT NULL CHECK (octet_length(data) <= 8388608),
    plan       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX exchange_uploads_user ON exchange_uploads (user_id, site_id, created_at DESC);
CREATE INDEX exchange_uploads_expiry ON exchange_uploads (expires_at);
