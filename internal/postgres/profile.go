package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// MaxNameLen is the longest name of a person.
const MaxNameLen = 200

// SaveProfile stores what a person says of themselves: their name and the language of their
// staff area ("" for the browser's).
func (db *DB) SaveProfile(ctx context.Context, userID int64, name, staffLang string, by twinning.Actor) error {
	if len([]rune(name)) > MaxNameLen {
		return twinning.FieldErrors{twinning.Fact("name"): "validation.too_long"}.Err()
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2, staff_lang = $3 WHERE id = $1`, userID, name, staffLang); err != nil {
			return fmt.Errorf("save profile of user %d: %w", userID, err)
		}
		return auditUser(ctx, tx, by, "profile_update", u, u.Email)
	})
}

// SetStaffLang stores the language of a person's staff area.
func (db *DB) SetStaffLang(ctx context.Context, userID int64, lang string) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET staff_lang = $2 WHERE id = $1`, userID, lang); err != nil {
		return fmt.Errorf("set staff language of user %d: %w", userID, err)
	}
	return nil
}

// ChangePassword stores a new password the person chose while signed in: their other
// sessions end and their one-time links stop working; keepSession goes on. It returns the
// account's new session epoch.
func (db *DB) ChangePassword(ctx context.Context, userID int64, hash, keepSession string, by twinning.Actor) (int64, error) {
	var epoch int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, u, hash, by); err != nil {
			return err
		}
		epoch, err = keepOnlySession(ctx, tx, userID, keepSession)
		return err
	})
	return epoch, err
}
