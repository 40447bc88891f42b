package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// ProviderAccount finds or makes the account of a person a provider vouched for, in one
// transaction:
//   - the account linked to the provider's subject, if any (an account the provider made
//     gets the access its groups give today, and none when no rule matches any more);
//   - else the account with the provider's verified e-mail address, which is linked to the
//     subject from now on (an invitation taken up through the provider);
//   - else, where administrators let the provider make accounts, a new one with the access
//     its groups give.
//
// Otherwise it returns twinning.ErrNoAccount. A disabled account is returned as it is: the
// caller refuses it. Links and new accounts are audited.
func (db *DB) ProviderAccount(ctx context.Context, c twinning.ProviderClaims, address string) (twinning.User, error) {
	var u twinning.User
	email := normalEmail(c.Email)
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		settings, err := providerSettings(ctx, tx, c.Provider)
		if err != nil {
			return err
		}
		var userID int64
		err = tx.QueryRow(ctx, `
			UPDATE user_identities SET last_used_at = now(), email = $3 WHERE provider = $1 AND subject = $2 RETURNING user_id`,
			c.Provider, c.Subject, email).Scan(&userID)
		switch {
		case err == nil:
			if u, err = userByID(ctx, tx, userID, "FOR UPDATE"); err != nil {
				return err
			}
			if u.ManagedBy == c.Provider {
				return db.syncAccess(ctx, tx, &u, settings, c.Groups)
			}
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("find identity: %w", err)
		}
		by := twinning.Actor{Email: email, Address: address}
		if c.EmailVerified && email != "" {
			err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1 FOR UPDATE`, email).Scan(&userID)
			switch {
			case err == nil:
				if u, err = userByID(ctx, tx, userID, ""); err != nil {
					return err
				}
				by.UserID = u.ID
				return linkIdentity(ctx, tx, u, c, by)
			case !errors.Is(err, pgx.ErrNoRows):
				return fmt.Errorf("find user %s: %w", email, err)
			}
		}
		access, ok := settings.Access(c.Groups)
		if !settings.AutoAccounts || !ok || !c.EmailVerified || email == "" {
			return twinning.ErrNoAccount
		}
		u = access
		u.Email, u.Name, u.ManagedBy = email, c.Name, c.Provider
		if u, err = db.addUser(ctx, tx, u, "", twinning.Actor{Address: address, Email: c.Provider}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2, managed_by = $3 WHERE id = $1`, u.ID, u.Name, u.ManagedBy); err != nil {
			return fmt.Errorf("mark user %s as the provider's: %w", email, err)
		}
		by.UserID = u.ID
		return linkIdentity(ctx, tx, u, c, by)
	})
	return u, err
}

// syncAccess gives an account a provider made the access the person's groups give today.
func (db *DB) syncAccess(ctx context.Context, tx pgx.Tx, u *twinning.User, settings twinning.ProviderSettings, groups []string) error {
	access, ok := settings.Access(groups)
	if !ok {
		return twinning.ErrNoAccount
	}
	if access.Role == u.Role && fmt.Sprint(access.Sites) == fmt.Sprint(u.Sites) && fmt.Sprint(access.Langs) == fmt.Sprint(u.Langs) {
		return nil
	}
	next := *u
	next.Role, next.Sites, next.Langs = access.Role, access.Sites, access.Langs
	next, err := db.checkUser(ctx, next)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET role = $2, langs = $3 WHERE id = $1`, u.ID, next.Role, nonNil(next.Langs)); err != nil {
		return fmt.Errorf("update user %d from its provider: %w", u.ID, err)
	}
	if err := setUserSites(ctx, tx, next); err != nil {
		return err
	}
	*u = next
	return auditUser(ctx, tx, twinning.Actor{Email: u.ManagedBy}, "user_update", next, describeAccess(next)+" (groups at "+u.ManagedBy+")")
}

func linkIdentity(ctx context.Context, tx pgx.Tx, u twinning.User, c twinning.ProviderClaims, by twinning.Actor) error {
	tag, err := tx.Exec(ctx, `
		INSERT INTO user_identities (user_id, provider, subject, email) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, provider) DO NOTHING`, u.ID, c.Provider, c.Subject, normalEmail(c.Email))
	if err != nil {
		return fmt.Errorf("link %s to %s: %w", u.Email, c.Provider, err)
	}
	if tag.RowsAffected() == 0 {
		// the account is linked to another person at this provider: an address that moved
		// is not a reason to hand the account over
		return twinning.ErrNoAccount
	}
	return auditUser(ctx, tx, by, "identity_link", u, u.Email+" "+c.Provider)
}

// Identities lists the provider accounts linked to an account.
func (db *DB) Identities(ctx context.Context, userID int64) ([]twinning.Identity, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, user_id, provider, subject, email, linked_at, last_used_at
		FROM user_identities WHERE user_id = $1 ORDER BY provider`, userID)
	if err != nil {
		return nil, fmt.Errorf("identities of user %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.Identity])
}

// Unlink removes the link of an account to a provider account, audited.
func (db *DB) Unlink(ctx context.Context, userID, identityID int64, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		var provider string
		err = tx.QueryRow(ctx, `DELETE FROM user_identities WHERE id = $1 AND user_id = $2 RETURNING provider`, identityID, userID).Scan(&provider)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "user %d has no identity %d", userID, identityID)
		}
		if err != nil {
			return fmt.Errorf("unlink identity %d: %w", identityID, err)
		}
		return auditUser(ctx, tx, by, "identity_unlink", u, u.Email+" "+provider)
	})
}

// ProviderSettings returns what administrators set for a provider.
func (db *DB) ProviderSettings(ctx context.Context, provider string) (twinning.ProviderSettings, error) {
	var s twinning.ProviderSettings
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var err error
		s, err = providerSettings(ctx, tx, provider)
		return err
	})
	return s, err
}

func providerSettings(ctx context.Context, tx pgx.Tx, provider string) (twinning.ProviderSettings, error) {
	s := twinning.ProviderSettings{Provider: provider}
	err := tx.QueryRow(ctx, `SELECT auto_accounts FROM provider_settings WHERE provider = $1`, provider).Scan(&s.AutoAccounts)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("settings of provider %s: %w", provider, err)
	}
	rows, err := tx.Query(ctx, `SELECT id, claim, role, sites, langs FROM provider_rules WHERE provider = $1 ORDER BY claim`, provider)
	if err != nil {
		return s, fmt.Errorf("rules of provider %s: %w", provider, err)
	}
	s.Rules, err = pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.ProviderRule])
	if err != nil {
		return s, fmt.Errorf("rules of provider %s: %w", provider, err)
	}
	return s, nil
}

// SetProviderAutoAccounts lets a provider make accounts for the people its rules give access,
// or stops it.
func (db *DB) SetProviderAutoAccounts(ctx context.Context, provider string, on bool, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_settings (provider, auto_accounts) VALUES ($1, $2)
			ON CONFLICT (provider) DO UPDATE SET auto_accounts = excluded.auto_accounts`, provider, on); err != nil {
			return fmt.Errorf("settings of provider %s: %w", provider, err)
		}
		return writeAudit(ctx, tx, by, nil, "provider_settings", "provider", 0, fmt.Sprintf("%s auto_accounts=%t", provider, on))
	})
}

// AddProviderRule gives the people of a group of the provider a role, sites and languages;
// they are checked like an account's. A rule for the same group replaces the older one.
func (db *DB) AddProviderRule(ctx context.Context, provider string, r twinning.ProviderRule, by twinning.Actor) error {
	u, err := db.checkUser(ctx, twinning.User{Email: "rule@example.org", Role: r.Role, Sites: r.Sites, Langs: r.Langs})
	if err != nil {
		return err
	}
	if r.Claim == "" || len(r.Claim) > twinning.MaxClaimLen {
		return twinning.FieldErrors{twinning.Fact("claim"): "validation.required"}.Err()
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_rules (provider, claim, role, sites, langs) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (provider, claim) DO UPDATE SET role = excluded.role, sites = excluded.sites, langs = excluded.langs`,
			provider, r.Claim, u.Role, nonNilIDs(u.Sites), nonNil(u.Langs)); err != nil {
			return fmt.Errorf("add rule of provider %s: %w", provider, err)
		}
		u.Email = r.Claim
		return writeAudit(ctx, tx, by, nil, "provider_rule_add", "provider", 0, provider+": "+describeAccess(u))
	})
}

// DeleteProviderRule removes a rule of a provider.
func (db *DB) DeleteProviderRule(ctx context.Context, provider string, id int64, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var claim string
		err := tx.QueryRow(ctx, `DELETE FROM provider_rules WHERE id = $1 AND provider = $2 RETURNING claim`, id, provider).Scan(&claim)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "provider %s has no rule %d", provider, id)
		}
		if err != nil {
			return fmt.Errorf("delete rule %d: %w", id, err)
		}
		return writeAudit(ctx, tx, by, nil, "provider_rule_remove", "provider", 0, provider+": "+claim)
	})
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
