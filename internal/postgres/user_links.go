package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Purposes of a one-time link, as the audit log names them.
const (
	linkInvite = "invite" // the invitee sets a first password
	linkReset  = "reset"  // the person sets a new password
)

// InviteUser creates an account without a password and its invitation link, of which only
// the hash is stored.
func (db *DB) InviteUser(ctx context.Context, u twinning.User, tokenHash []byte, valid time.Duration, by twinning.Actor) (twinning.User, error) {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var err error
		if u, err = db.addUser(ctx, tx, u, "", by); err != nil {
			return err
		}
		return issueLink(ctx, tx, u, linkInvite, tokenHash, valid, by)
	})
	return u, err
}

// IssueLink makes a new one-time link for an account (an invitation again when it has no
// password yet, else a password reset); the account's earlier links stop working.
func (db *DB) IssueLink(ctx context.Context, userID int64, tokenHash []byte, valid time.Duration, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		purpose := linkReset
		if !u.HasPassword {
			purpose = linkInvite
		}
		return issueLink(ctx, tx, u, purpose, tokenHash, valid, by)
	})
}

func issueLink(ctx context.Context, tx pgx.Tx, u twinning.User, purpose string, tokenHash []byte, valid time.Duration, by twinning.Actor) error {
	if _, err := voidLinks(ctx, tx, u); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO user_tokens (user_id, purpose, hash, expires_at)
		VALUES ($1, $2, $3, now() + make_interval(secs => $4))`, u.ID, purpose, tokenHash, valid.Seconds()); err != nil {
		return fmt.Errorf("issue link of %s: %w", u.Email, err)
	}
	return auditUser(ctx, tx, by, "user_link_"+purpose, u, u.Email)
}

// voidLinks ends every link of the account not yet used: a new link replaces them, and
// disabling the account, changing its role or its password ends what they could do. It
// returns how many it ended.
func voidLinks(ctx context.Context, tx pgx.Tx, u twinning.User) (int64, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM user_tokens WHERE user_id = $1 AND used_at IS NULL`, u.ID)
	if err != nil {
		return 0, fmt.Errorf("void links of %s: %w", u.Email, err)
	}
	return tag.RowsAffected(), nil
}

// errLink is every way a link may not work: unknown, used, expired, or its account disabled.
// They look the same to whoever holds the link.
func errLink() error { return twinning.Errorf(twinning.ENOTFOUND, "no valid link") }

// LinkUser returns the account of a link that still works: an invitation when the account
// has no password yet, else a password reset.
func (db *DB) LinkUser(ctx context.Context, tokenHash []byte) (twinning.User, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `
		SELECT t.user_id FROM user_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL`,
		tokenHash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return twinning.User{}, errLink()
	}
	if err != nil {
		return twinning.User{}, fmt.Errorf("find link: %w", err)
	}
	return db.UserByID(ctx, id)
}

// UseLink spends a link: it sets the account's password, which ends the account's sessions,
// and the link works no more. address is where the request came from, for the audit log.
func (db *DB) UseLink(ctx context.Context, tokenHash []byte, passwordHash, address string) (twinning.User, error) {
	var u twinning.User
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			UPDATE user_tokens t SET used_at = now() FROM users u
			WHERE u.id = t.user_id AND t.hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
			RETURNING t.user_id`, tokenHash).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return errLink()
		}
		if err != nil {
			return fmt.Errorf("use link: %w", err)
		}
		if u, err = userByID(ctx, tx, id, "FOR UPDATE"); err != nil {
			return err
		}
		if err := setPassword(ctx, tx, u, passwordHash, twinning.Actor{UserID: u.ID, Email: u.Email, Address: address}); err != nil {
			return err
		}
		u.SessionEpoch++
		u.HasPassword = true
		return nil
	})
	return u, err
}
