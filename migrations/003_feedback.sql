-- Accessibility feedback from anyone, listed for the site's staff.
CREATE TABLE feedback (
    id         bigserial PRIMARY KEY,
    site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    lang       text NOT NULL,
    message    text NOT NULL CHECK (length(message) BETWEEN 1 AND 5000),
    page       text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    address    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_site ON feedback (site_id, created_at DESC);
CREATE INDEX feedback_address ON feedback (address, created_at);
