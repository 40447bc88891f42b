package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// SecondFactors returns what the account has to prove itself after its password: its
// authenticator app, its passkeys (of every host) and how many recovery codes are left.
func (db *DB) SecondFactors(ctx context.Context, userID int64) (twinning.SecondFactors, error) {
	var f twinning.SecondFactors
	err := db.Pool.QueryRow(ctx, `
		SELECT totp_secret IS NOT NULL, totp_added_at,
			(SELECT count(*) FROM user_recovery_codes WHERE user_id = u.id AND used_at IS NULL)
		FROM users u WHERE id = $1`, userID).Scan(&f.TOTP, &f.TOTPAddedAt, &f.RecoveryCodes)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, twinning.Errorf(twinning.ENOTFOUND, "user %d not found", userID)
	}
	if err != nil {
		return f, fmt.Errorf("second factors of user %d: %w", userID, err)
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT id, user_id, name, rp_id, credential_id, public_key, sign_count, aaguid, transports, user_verified,
			backup_eligible, backup_state, attestation_type, attestation_format, created_at, last_used_at
		FROM user_passkeys WHERE user_id = $1 ORDER BY created_at, id`, userID)
	if err != nil {
		return f, fmt.Errorf("passkeys of user %d: %w", userID, err)
	}
	f.Passkeys, err = pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.Passkey])
	if err != nil {
		return f, fmt.Errorf("passkeys of user %d: %w", userID, err)
	}
	return f, nil
}

// TOTPSecret returns the secret of the account's authenticator app ("" when it has none) and
// the time step of the last code accepted.
func (db *DB) TOTPSecret(ctx context.Context, userID int64) (string, int64, error) {
	var secret *string
	var step int64
	err := db.Pool.QueryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1`, userID).Scan(&secret, &step)
	if err != nil {
		return "", 0, fmt.Errorf("TOTP of user %d: %w", userID, err)
	}
	if secret == nil {
		return "", 0, nil
	}
	return *secret, step, nil
}

// UseTOTPStep records that a code of time step `step` was accepted, unless a code of that
// step or a later one already was (two sign-ins with one code at once): then it reports false.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("use TOTP step of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Changes of second factors. Each is audited and ends the account's other sessions: it
// returns the account's new session epoch, for the session that made the change to go on.

// EnableTOTP stores the secret of the account's authenticator app, whose first code (of
// time step `step`) the person typed; recovery, when not nil, are the hashes of new recovery
// codes (the account's first second factor).
func (db *DB) EnableTOTP(ctx context.Context, userID int64, secret string, step int64, recovery [][]byte, keepSession string, by twinning.Actor) (int64, error) {
	return db.changeSecondFactor(ctx, userID, keepSession, by, "totp_add", "", func(tx pgx.Tx, u twinning.User) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret = $2, totp_last_step = $3, totp_added_at = now() WHERE id = $1`,
			userID, secret, step); err != nil {
			return err
		}
		return replaceRecoveryCodes(ctx, tx, userID, recovery)
	})
}

// DisableTOTP removes the account's authenticator app.
func (db *DB) DisableTOTP(ctx context.Context, userID int64, keepSession string, by twinning.Actor) (int64, error) {
	return db.changeSecondFactor(ctx, userID, keepSession, by, "totp_remove", "", func(tx pgx.Tx, u twinning.User) error {
		_, err := tx.Exec(ctx, `UPDATE users SET totp_secret = NULL, totp_added_at = NULL WHERE id = $1`, userID)
		return err
	})
}

// AddPasskey stores a passkey the person registered; recovery as for EnableTOTP.
func (db *DB) AddPasskey(ctx context.Context, userID int64, p twinning.Passkey, recovery [][]byte, keepSession string, by twinning.Actor) (int64, error) {
	return db.changeSecondFactor(ctx, userID, keepSession, by, "passkey_add", p.Name, func(tx pgx.Tx, u twinning.User) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO user_passkeys (user_id, name, rp_id, credential_id, public_key, sign_count, aaguid, transports,
				user_verified, backup_eligible, backup_state, attestation_type, attestation_format)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			userID, p.Name, p.RPID, p.CredentialID, p.PublicKey, int64(p.SignCount), p.AAGUID, nonNil(p.Transports),
			p.UserVerified, p.BackupEligible, p.BackupState, p.AttestationType, p.AttestationFormat); err != nil {
			return err
		}
		return replaceRecoveryCodes(ctx, tx, userID, recovery)
	})
}

// RemovePasskey removes one of the account's passkeys.
func (db *DB) RemovePasskey(ctx context.Context, userID, passkeyID int64, keepSession string, by twinning.Actor) (int64, error) {
	return db.changeSecondFactor(ctx, userID, keepSession, by, "passkey_remove", "", func(tx pgx.Tx, u twinning.User) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM user_passkeys WHERE id = $1 AND user_id = $2 RETURNING name`, passkeyID, userID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "user %d has no passkey %d", userID, passkeyID)
		}
		return err
	})
}

// UsePasskey records a sign-in with a passkey: its new signature counter and backup state.
func (db *DB) UsePasskey(ctx context.Context, p twinning.Passkey) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE user_passkeys SET sign_count = $2, backup_state = $3, last_used_at = now() WHERE id = $1`,
		p.ID, int64(p.SignCount), p.BackupState); err != nil {
		return fmt.Errorf("use passkey %d: %w", p.ID, err)
	}
	return nil
}

// NewRecoveryCodes replaces the account's recovery codes.
func (db *DB) NewRecoveryCodes(ctx context.Context, userID int64, hashes [][]byte, keepSession string, by twinning.Actor) (int64, error) {
	return db.changeSecondFactor(ctx, userID, keepSession, by, "recovery_codes_new", "", func(tx pgx.Tx, u twinning.User) error {
		return replaceRecoveryCodes(ctx, tx, userID, hashes)
	})
}

// RemoveSecondFactors removes every second factor of an account (an administrator's help
// for a person who lost them all): its app, passkeys and recovery codes. Every session of the
// account ends.
func (db *DB) RemoveSecondFactors(ctx context.Context, userID int64, by twinning.Actor) error {
	_, err := db.changeSecondFactor(ctx, userID, "", by, "second_factors_reset", "", func(tx pgx.Tx, u twinning.User) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret = NULL, totp_added_at = NULL WHERE id = $1`, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM user_passkeys WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID)
		return err
	})
	return err
}

// UseRecoveryCode spends one of the account's recovery codes, if hash is one not yet used:
// that is audited and ends every session of the account (the sign-in it allows begins a new
// one). It returns whether the code was good, and the account's new session epoch.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash []byte, by twinning.Actor) (bool, int64, error) {
	var ok bool
	epoch, err := db.changeSecondFactor(ctx, userID, "", by, "recovery_code_use", "", func(tx pgx.Tx, u twinning.User) error {
		tag, err := tx.Exec(ctx, `UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND hash = $2 AND used_at IS NULL`,
			userID, hash)
		if err != nil {
			return err
		}
		if ok = tag.RowsAffected() == 1; !ok {
			return errNothingUsed
		}
		return nil
	})
	if errors.Is(err, errNothingUsed) {
		return false, 0, nil
	}
	return ok, epoch, err
}

var errNothingUsed = errors.New("no recovery code used")

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, hashes [][]byte) error {
	if hashes == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO user_recovery_codes (user_id, hash) SELECT $1, unnest($2::bytea[])`, userID, hashes)
	return err
}

// changeSecondFactor runs change on the locked account, audits it as action and ends the
// account's sessions but keepSession ("" ends them all): it returns the new session epoch.
func (db *DB) changeSecondFactor(ctx context.Context, userID int64, keepSession string, by twinning.Actor, action, detail string,
	change func(pgx.Tx, twinning.User) error) (int64, error) {
	var epoch int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		if err := change(tx, u); err != nil {
			return err
		}
		if epoch, err = endOtherSessions(ctx, tx, userID, keepSession); err != nil {
			return err
		}
		if detail == "" {
			detail = u.Email
		} else {
			detail = u.Email + ": " + detail
		}
		return auditUser(ctx, tx, by, action, u, detail)
	})
	if err != nil && !errors.Is(err, errNothingUsed) {
		err = fmt.Errorf("%s of user %d: %w", action, userID, err)
	}
	return epoch, err
}

// WebAuthnHandle returns the account's WebAuthn user handle, made on first use.
func (db *DB) WebAuthnHandle(ctx context.Context, userID int64) ([]byte, error) {
	var handle []byte
	if err := db.Pool.QueryRow(ctx, `SELECT webauthn_handle FROM users WHERE id = $1`, userID).Scan(&handle); err != nil {
		return nil, fmt.Errorf("WebAuthn handle of user %d: %w", userID, err)
	}
	if handle != nil {
		return handle, nil
	}
	handle = make([]byte, 32)
	rand.Read(handle) // never returns an error (crypto/rand, Go 1.24+)
	err := db.Pool.QueryRow(ctx, `
		UPDATE users SET webauthn_handle = coalesce(webauthn_handle, $2) WHERE id = $1 RETURNING webauthn_handle`,
		userID, handle).Scan(&handle)
	if err != nil {
		return nil, fmt.Errorf("WebAuthn handle of user %d: %w", userID, err)
	}
	return handle, nil
}

// SecondFactorPolicy returns who must have a second factor.
func (db *DB) SecondFactorPolicy(ctx context.Context) (twinning.SecondFactorPolicy, error) {
	var p twinning.SecondFactorPolicy
	if err := db.Pool.QueryRow(ctx, `SELECT second_factor FROM sign_in_policy`).Scan(&p); err != nil {
		return p, fmt.Errorf("read sign-in policy: %w", err)
	}
	return p, nil
}

// SetSecondFactorPolicy changes who must have a second factor.
func (db *DB) SetSecondFactorPolicy(ctx context.Context, p twinning.SecondFactorPolicy, by twinning.Actor) error {
	if !p.Valid() {
		return twinning.FieldErrors{twinning.Fact("second_factor"): "validation.choice"}.Err()
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sign_in_policy SET second_factor = $1`, string(p)); err != nil {
			return fmt.Errorf("set sign-in policy: %w", err)
		}
		return writeAudit(ctx, tx, by, nil, "second_factor_policy", "instance", 0, string(p))
	})
}
