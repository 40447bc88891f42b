package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

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

// CreateUser adds a staff account: an editor of the site, or an administrator of every site
// when siteSlug is "" and isAdmin is set. The tests' and the old CLI's shorthand for AddUser.
func (db *DB) CreateUser(ctx context.Context, email, siteSlug string, isAdmin bool, hash string) (twinning.User, error) {
	u := twinning.User{Email: email, Role: twinning.RoleAdministrator}
	if !isAdmin {
		u.Role = twinning.RoleEditor
		if siteSlug != "" {
			s, err := db.SiteBySlug(ctx, siteSlug)
			if err != nil {
				return twinning.User{}, err
			}
			u.Sites = []int64{s.ID}
		}
	}
	return db.AddUser(ctx, u, hash, cli)
}

// cli is the actor of the command line's changes in the audit log.
var cli = twinning.Actor{Address: "command line"}

// AddUser creates an account with its role, sites and languages; hash "" leaves it without a
// password (an invitation). Bad values come back as a ValidationError naming the field.
func (db *DB) AddUser(ctx context.Context, u twinning.User, hash string, by twinning.Actor) (twinning.User, error) {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var err error
		u, err = db.addUser(ctx, tx, u, hash, by)
		return err
	})
	return u, err
}

func (db *DB) addUser(ctx context.Context, tx pgx.Tx, u twinning.User, hash string, by twinning.Actor) (twinning.User, error) {
	u, err := db.checkUser(ctx, u)
	if err != nil {
		return u, err
	}
	var pw *string
	if hash != "" {
		pw = &hash
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO users (email, role, langs, password_hash) VALUES ($1, $2, $3, $4)
		ON CONFLICT (email) DO NOTHING
		RETURNING id, created_at`, u.Email, u.Role, nonNil(u.Langs), pw).Scan(&u.ID, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, &twinning.ValidationError{Fields: twinning.FieldErrors{twinning.Fact("email"): "validation.email_taken"}}
	}
	if err != nil {
		return u, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	u.HasPassword = pw != nil
	if err := setUserSites(ctx, tx, u); err != nil {
		return u, err
	}
	return u, auditUser(ctx, tx, by, "user_add", u, describeAccess(u))
}

// checkUser normalizes an account and checks it against the sites that exist and their
// languages.
func (db *DB) checkUser(ctx context.Context, u twinning.User) (twinning.User, error) {
	u = u.Normalize()
	sites, err := db.Sites(ctx)
	if err != nil {
		return u, err
	}
	ids := make([]int64, len(sites))
	var langs []string // a translator's languages are those some site publishes
	for i, s := range sites {
		ids[i] = s.ID
		langs = append(langs, s.Languages...)
	}
	return u, u.Validate(ids, langs).Err()
}

func nonNil(langs []string) []string {
	if langs == nil {
		return []string{}
	}
	return langs
}

func setUserSites(ctx context.Context, tx pgx.Tx, u twinning.User) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_sites WHERE user_id = $1`, u.ID); err != nil {
		return fmt.Errorf("set sites of %s: %w", u.Email, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::bigint[])`,
		u.ID, u.Sites); err != nil {
		return fmt.Errorf("set sites of %s: %w", u.Email, err)
	}
	return nil
}

// describeAccess is the audit log's note of an account's role, sites and languages.
func describeAccess(u twinning.User) string {
	d := u.Email + " " + string(u.Role)
	if len(u.Sites) > 0 {
		d += fmt.Sprintf(" sites=%v", u.Sites)
	}
	if len(u.Langs) > 0 {
		d += " langs=" + strings.Join(u.Langs, ",")
	}
	return d
}

const userColumns = `u.id, u.email, u.role, u.langs, u.disabled_at, u.created_at, u.session_epoch,
	u.password_hash IS NOT NULL,
	coalesce((SELECT array_agg(site_id ORDER BY site_id) FROM user_sites WHERE user_id = u.id), '{}'),
	u.name, u.staff_lang, coalesce(u.managed_by, ''),
	u.totp_secret IS NOT NULL OR EXISTS (SELECT 1 FROM user_passkeys p WHERE p.user_id = u.id)`

func scanUser(row pgx.Row, extra ...any) (twinning.User, error) {
	var u twinning.User
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Role, &u.Langs, &u.DisabledAt, &u.CreatedAt, &u.SessionEpoch,
		&u.HasPassword, &u.Sites, &u.Name, &u.StaffLang, &u.ManagedBy, &u.SecondFactor}, extra...)...)
	if len(u.Langs) == 0 {
		u.Langs = nil
	}
	if len(u.Sites) == 0 {
		u.Sites = nil
	}
	u.IsAdmin = u.Role == twinning.RoleAdministrator
	return u, err
}

// UserByEmail returns the account and its password hash ("" for an invitation not taken up).
func (db *DB) UserByEmail(ctx context.Context, email string) (twinning.User, string, error) {
	var hash string
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+`, coalesce(password_hash, '') FROM users u WHERE email = $1`,
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
	return userByID(ctx, db.Pool, id, "")
}

type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// userByID reads an account; lock "FOR UPDATE" holds it until the transaction ends.
func userByID(ctx context.Context, q queryRower, id int64, lock string) (twinning.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE id = $1 `+lock, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, twinning.Errorf(twinning.ENOTFOUND, "user %d not found", id)
	}
	if err != nil {
		return u, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every account.
func (db *DB) Users(ctx context.Context) ([]twinning.User, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (twinning.User, error) { return scanUser(r) })
}

// keepAnAdministrator refuses a change that leaves no enabled administrator. It locks the
// enabled administrators' rows, so two such changes at once cannot both pass.
func keepAnAdministrator(ctx context.Context, tx pgx.Tx, u twinning.User) error {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'administrator' AND disabled_at IS NULL FOR UPDATE`)
	if err != nil {
		return fmt.Errorf("lock administrators: %w", err)
	}
	admins, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("lock administrators: %w", err)
	}
	if len(admins) == 1 && admins[0] == u.ID {
		// nobody could manage accounts any more
		return twinning.FieldErrors{twinning.Fact("role"): "validation.last_admin"}.Err()
	}
	return nil
}

// UpdateUser changes an account's role, sites and languages.
func (db *DB) UpdateUser(ctx context.Context, id int64, role twinning.Role, sites []int64, langs []string, by twinning.Actor) (twinning.User, error) {
	var u twinning.User
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		old, err := userByID(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		u = old
		u.Role, u.Sites, u.Langs = role, sites, langs
		if u, err = db.checkUser(ctx, u); err != nil {
			return err
		}
		if old.Role == twinning.RoleAdministrator && u.Role != twinning.RoleAdministrator && old.DisabledAt == nil {
			if err := keepAnAdministrator(ctx, tx, old); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = $2, langs = $3 WHERE id = $1`, id, u.Role, nonNil(u.Langs)); err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if err := setUserSites(ctx, tx, u); err != nil {
			return err
		}
		detail := describeAccess(u)
		if u.Role != old.Role {
			// a link made for the old role must not outlive it
			if n, err := voidLinks(ctx, tx, u); err != nil {
				return err
			} else if n > 0 {
				detail += "; one-time links voided"
			}
		}
		return auditUser(ctx, tx, by, "user_update", u, detail)
	})
	return u, err
}

// SetUserDisabled disables an account, ending its sessions, or enables it again.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if (u.DisabledAt != nil) == disabled {
			return nil
		}
		action := "user_enable"
		if disabled {
			action = "user_disable"
			if u.Role == twinning.RoleAdministrator {
				if err := keepAnAdministrator(ctx, tx, u); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, `
			UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END,
				session_epoch = session_epoch + CASE WHEN $2 THEN 1 ELSE 0 END
			WHERE id = $1`, id, disabled); err != nil {
			return fmt.Errorf("disable user %d: %w", id, err)
		}
		if disabled { // enabling the account again does not bring its links back
			if _, err := voidLinks(ctx, tx, u); err != nil {
				return err
			}
		}
		return auditUser(ctx, tx, by, action, u, u.Email)
	})
}

// DisableUser stops an account from signing in and ends its sessions (the command line's).
func (db *DB) DisableUser(ctx context.Context, email string) error {
	u, _, err := db.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	return db.SetUserDisabled(ctx, u.ID, true, cli)
}

// SetPassword replaces an account's password hash and ends its sessions (the command line's).
func (db *DB) SetPassword(ctx context.Context, email, hash string) error {
	u, _, err := db.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		return setPassword(ctx, tx, u, hash, cli)
	})
}

// setPassword stores a new password; the account's sessions begun before end, and so do
// its one-time links.
func setPassword(ctx context.Context, tx pgx.Tx, u twinning.User, hash string, by twinning.Actor) error {
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1 WHERE id = $1`,
		u.ID, hash); err != nil {
		return fmt.Errorf("set password of %s: %w", u.Email, err)
	}
	if _, err := voidLinks(ctx, tx, u); err != nil {
		return err
	}
	return auditUser(ctx, tx, by, "password_set", u, u.Email)
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
	return writeAudit(ctx, tx, a, &siteID, action, entity, entityID, detail)
}

// auditUser records a change of an account (no site: accounts span sites).
func auditUser(ctx context.Context, tx pgx.Tx, a twinning.Actor, action string, u twinning.User, detail string) error {
	return writeAudit(ctx, tx, a, nil, action, "user", u.ID, detail)
}

func writeAudit(ctx context.Context, tx pgx.Tx, a twinning.Actor, siteID *int64, action, entity string, entityID int64, detail string) error {
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
