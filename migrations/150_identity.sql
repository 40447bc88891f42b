-- Staff identity: the person's name and staff language, sign-in through the municipality's
-- OpenID providers, second factors (TOTP, passkeys, recovery codes), the sessions of each
-- account, and the instance's sign-in policy. Providers' client secrets are configuration
-- (environment or a file), never stored here.

ALTER TABLE users
    ADD COLUMN name text NOT NULL DEFAULT '',
    -- the language of the staff area for this person; '' = the browser's or the switcher's
    ADD COLUMN staff_lang text NOT NULL DEFAULT '',
    -- the provider whose group claims set this account's role, sites and languages, for an
    -- account a provider created; NULL for accounts administrators manage
    ADD COLUMN managed_by text,
    -- RFC 6238: the shared secret (base32) of the authenticator app, and the last time step a
    -- code was accepted for, so that no code works twice
    ADD COLUMN totp_secret text,
    ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0,
    ADD COLUMN totp_added_at timestamptz,
    -- the WebAuthn user handle: random, never shown
    ADD COLUMN webauthn_handle bytea UNIQUE;

-- A person's account at an OpenID provider, matched by the provider's stable subject.
CREATE TABLE user_identities (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider     text NOT NULL,
    subject      text NOT NULL,
    email        text NOT NULL DEFAULT '', -- as the provider gave it when last used
    linked_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, subject),
    UNIQUE (user_id, provider)
);

-- Passkeys (WebAuthn credentials): several per account, each named by its owner. The
-- columns are the credential record of the WebAuthn specification.
CREATE TABLE user_passkeys (
    id                 bigserial PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    rp_id              text NOT NULL, -- the host name it was registered on
    credential_id      bytea NOT NULL UNIQUE,
    public_key         bytea NOT NULL, -- COSE
    sign_count         bigint NOT NULL DEFAULT 0,
    aaguid             bytea NOT NULL DEFAULT '',
    transports         text[] NOT NULL DEFAULT '{}',
    user_verified      boolean NOT NULL DEFAULT false,
    backup_eligible    boolean NOT NULL DEFAULT false,
    backup_state       boolean NOT NULL DEFAULT false,
    attestation_type   text NOT NULL DEFAULT '',
    attestation_format text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_used_at       timestamptz
);
CREATE INDEX user_passkeys_user ON user_passkeys (user_id);

-- Recovery codes: shown once, only a SHA-256 hash kept; each works once.
CREATE TABLE user_recovery_codes (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz,
    UNIQUE (user_id, hash)
);

-- The staff sessions of each account, beside scs's own table (whose data is opaque): what
-- the profile lists, and what "sign out everywhere" ends. A session whose row is gone, or
-- whose epoch is older than its account's, is over.
CREATE TABLE staff_sessions (
    id           text PRIMARY KEY, -- random, kept in the session
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    epoch        bigint NOT NULL,  -- the account's session epoch when it began: an older one is over
    method       text NOT NULL,    -- 'password', 'password+totp', 'password+passkey', 'password+recovery', 'oidc:PROVIDER', 'link'
    address      text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- The sign-in policy of the instance (one row): who must have a second factor.
CREATE TABLE sign_in_policy (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    second_factor text NOT NULL DEFAULT 'none' CHECK (second_factor IN ('none', 'administrators', 'editors', 'everyone'))
);
INSERT INTO sign_in_policy DEFAULT VALUES;

-- Per provider, set by administrators: whether a person the provider vouches for gets an
-- account of their own, and which group or role claim values give which role, sites and
-- languages.
CREATE TABLE provider_settings (
    provider      text PRIMARY KEY,
    auto_accounts boolean NOT NULL DEFAULT false
);

CREATE TABLE provider_rules (
    id       bigserial PRIMARY KEY,
    provider text NOT NULL,
    claim    text NOT NULL CHECK (claim <> '' AND length(claim) <= 200), -- a value of the group claim
    role     text NOT NULL CHECK (role IN ('administrator', 'editor', 'translator')),
    sites    bigint[] NOT NULL DEFAULT '{}',
    langs    text[] NOT NULL DEFAULT '{}',
    UNIQUE (provider, claim)
);
