-- Sign-in attempts are counted per kind of proof (a password now; one-time codes later), and
-- only the attempts that were checked: a refused attempt is in the audit log, not here.
ALTER TABLE sign_in_attempts ADD COLUMN kind text NOT NULL DEFAULT 'password';
