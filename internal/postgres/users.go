package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"twintowns/internal/twinning"
)

// SiteBySlug returns the site with the slug.
func (db *DB) SiteBySlug(ctx context.Context, slug string) (twinning.Site, error) {
	sites, err := db.Sites(ctx)
	if err != nil {
		return twinning.Site{}, err
	}
	for _, s := range sites {
		if s.Slug == slug {
			return s, nil
		}
	}
	return twinning.Site{}, twinning.Errorf(twinning.ENOTFOUND, "site %q not found", slug)
}

// CreateUser adds a staff account of the site (or of every site when siteSlug is "" and
// isAdmin is set).
func (db *DB) CreateUser(ctx context.Context, email, siteSlug string, isAdmin bool, hash string) (twinning.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var siteID *int64
	if siteSlug != "" {
		s, err := db.SiteBySlug(ctx, siteSlug)
		if err != nil {
			return twinning.User{}, err
		}
		siteID = &s.ID
	} else if !isAdmin {
		return twinning.User{}, twinning.Errorf(twinning.EINVALID, "a user who is not an administrator needs a site")
	}
	u := twinning.User{Email: email, SiteID: siteID, IsAdmin: isAdmin}
	err := db.Pool.QueryRow(ctx, `
		INSERT INTO users (email, site_id, is_admin, password_hash) VALUES ($1, $2, $3, $4)
		RETURNING id, created_at`, email, siteID, isAdmin, hash).Scan(&u.ID, &u.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return u, twinning.Errorf(twinning.ECONFLICT, "a user %s exists already", email)
	}
	if errors.As(err, &pgErr) && pgErr.Code == "23514" {
		return u, twinning.Errorf(twinning.EINVALID, "%q is not an email address", email)
	}
	if err != nil {
		return u, fmt.Errorf("create user %s: %w", email, err)
	}
	return u, nil
}

const userColumns = `id, email, site_id, is_admin, disabled_at, created_at`

func scanUser(row pgx.Row, extra ...any) (twinning.User, error) {
	var u twinning.User
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.SiteID, &u.IsAdmin, &u.DisabledAt, &u.CreatedAt}, extra...)...)
	return u, err
}

// UserByEmail returns the account and its password hash.
func (db *DB) UserByEmail(ctx context.Context, email string) (twinning.User, string, error) {
	var hash string
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, "", twinning.Errorf(twinning.ENOTFOUND, "user %s not found", email)
	}
	if err != nil {
		return u, "", fmt.Errorf("get user %s: %w", email, err)
	}
	return u, hash, nil
}

// UserByID returns the account.
func (db *DB) UserByID(ctx context.Context, id int64) (twinning.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, twinning.Errorf(twinning.ENOTFOUND, "user %d not found", id)
	}
	if err != nil {
		return u, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// UserRow is an account with its site's slug, for listings.
type UserRow struct {
	twinning.User
	SiteSlug string
}

// Users lists every account.
func (db *DB) Users(ctx context.Context) ([]UserRow, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT u.id, u.email, u.site_id, u.is_admin, u.disabled_at, u.created_at, coalesce(s.slug, '')
		FROM users u LEFT JOIN sites s ON s.id = u.site_id ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (UserRow, error) {
		var u UserRow
		err := r.Scan(&u.ID, &u.Email, &u.SiteID, &u.IsAdmin, &u.DisabledAt, &u.CreatedAt, &u.SiteSlug)
		return u, err
	})
}

// DisableUser stops an account from signing in; its sessions end at their next request.
func (db *DB) DisableUser(ctx context.Context, email string) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return fmt.Errorf("disable user %s: %w", email, err)
	}
	if tag.RowsAffected() == 0 {
		return twinning.Errorf(twinning.ENOTFOUND, "user %s not found", email)
	}
	return nil
}

// SetPassword replaces an account's password hash.
func (db *DB) SetPassword(ctx context.Context, email, hash string) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email)), hash)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", email, err)
	}
	if tag.RowsAffected() == 0 {
		return twinning.Errorf(twinning.ENOTFOUND, "user %s not found", email)
	}
	return nil
}

// RecentFailures counts the failed sign-ins since `since` for the account (after its last
// success) and from the address.
func (db *DB) RecentFailures(ctx context.Context, email, address string, since time.Time) (account, fromAddress int, err error) {
	err = db.Pool.QueryRow(ctx, `
		SELECT
			(SELECT count(*) FROM sign_in_attempts
			 WHERE email = $1 AND NOT succeeded AND at > greatest($3,
				(SELECT coalesce(max(at), '-infinity') FROM sign_in_attempts WHERE email = $1 AND succeeded))),
			(SELECT count(*) FROM sign_in_attempts WHERE address = $2 AND NOT succeeded AND at > $3)`,
		strings.ToLower(strings.TrimSpace(email)), address, since).Scan(&account, &fromAddress)
	if err != nil {
		return 0, 0, fmt.Errorf("count failed sign-ins: %w", err)
	}
	return account, fromAddress, nil
}

// RecordSignIn stores a sign-in attempt and, in the audit log, its outcome.
func (db *DB) RecordSignIn(ctx context.Context, email, address string, userID *int64, siteID *int64, outcome string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if outcome != "sign_out" {
			if _, err := tx.Exec(ctx, `INSERT INTO sign_in_attempts (email, address, succeeded) VALUES ($1, $2, $3)`,
				email, address, outcome == "sign_in"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO audit_log (user_id, user_email, site_id, action, entity, address)
			VALUES ($1, $2, $3, $4, 'user', $5)`, userID, email, siteID, outcome, address)
		return err
	})
}

// AuditLog returns the newest entries of the audit log, of one site or (nil) of all.
func (db *DB) AuditLog(ctx context.Context, siteID *int64, limit int) ([]twinning.AuditEntry, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, at, user_email, site_id, action, entity, entity_id, detail, address
		FROM audit_log
		WHERE $1::bigint IS NULL OR site_id = $1
		ORDER BY id DESC LIMIT $2`, siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.AuditEntry])
}

func audit(ctx context.Context, tx pgx.Tx, a twinning.Actor, siteID int64, action, entity string, entityID int64, detail string) error {
	var user any
	if a.UserID != 0 {
		user = a.UserID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO audit_log (user_id, user_email, site_id, action, entity, entity_id, detail, address)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, user, a.Email, siteID, action, entity, entityID, detail, a.Address)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
