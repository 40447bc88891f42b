-- People and roles: an account is an administrator (every site), an editor of given sites or
-- a translator of given sites and languages. Invitations and password resets are one-time
-- links; a session epoch per account voids its sessions when its password changes or it is
-- disabled.

ALTER TABLE users
    ADD COLUMN role text CHECK (role IN ('administrator', 'editor', 'translator')),
    ADD COLUMN langs text[] NOT NULL DEFAULT '{}',
    ADD COLUMN session_epoch bigint NOT NULL DEFAULT 0;

CREATE TABLE user_sites (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_id)
);

-- Today's accounts: is_admin becomes administrator, site_id an editor of that site.
UPDATE users SET role = CASE WHEN is_admin THEN 'administrator' ELSE 'editor' END;
INSERT INTO user_sites (user_id, site_id) SELECT id, site_id FROM users WHERE NOT is_admin AND site_id IS NOT NULL;

ALTER TABLE users
    ALTER COLUMN role SET NOT NULL,
    DROP COLUMN is_admin,
    DROP COLUMN site_id,
    -- an invited account has no password until the invitee sets one
    ALTER COLUMN password_hash DROP NOT NULL;

-- One-time links: only a hash of the token is stored; used_at makes them single use.
CREATE TABLE user_tokens (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    hash       bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);
